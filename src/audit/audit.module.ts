import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLogService } from './audit-log.service';
import { AuditEntry } from './entities/audit-entry.entity';

/** Global: the modules whose changes are audited record through AuditLogService. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry])],
  providers: [AuditLogService],
  exports: [AuditLogService],
})
export class AuditModule {}
