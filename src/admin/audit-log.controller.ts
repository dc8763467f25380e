import { Controller, Get, Query, Render, UseGuards } from '@nestjs/common';
import { Roles } from '../auth/guards/roles.decorator';
import { RolesGuard } from '../auth/guards/roles.guard';
import { assertPageExists, neighbourPages, requestedPage } from '../common/http/pagination';
import { AuditLogService } from '../audit/audit-log.service';

const PER_PAGE = 50;

@Controller('audit-log')
@UseGuards(RolesGuard)
@Roles('admin')
export class AuditLogController {
  constructor(private readonly auditLog: AuditLogService) {}

  /** `?page=N` (from 1); anything else shows the first page. */
  @Get()
  @Render('audit/log')
  async show(@Query('page') pageParam?: unknown) {
    const page = requestedPage(pageParam);
    const { entries, total } = await this.auditLog.page(PER_PAGE, (page - 1) * PER_PAGE);
    assertPageExists(page, entries.length);
    return {
      title: 'Audit log',
      entries: entries.map((entry) => ({
        occurredAt: entry.occurredAt,
        actor: entry.actor,
        action: entry.action,
        subject: entry.subject,
        details: entry.details,
      })),
      total,
      ...neighbourPages(page, PER_PAGE, total),
    };
  }
}
