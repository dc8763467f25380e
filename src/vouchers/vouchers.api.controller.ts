import { Body, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { AdminApiController } from '../auth/api-tokens/admin-api.decorator';
import { CurrentUser } from '../auth/guards/current-user.decorator';
import type { SessionUser } from '../auth/session-user';
import { ApiJson, ApiProblem } from '../common/http/api-responses';
import { IdParam } from '../common/http/id-param.decorator';
import { PaginationQuery } from '../common/http/pagination.query';
import { CreatedVouchers, CreateVouchersDto, VoucherPage } from './dto/api/voucher.dto';
import { voucherJson } from './voucher.json';
import type { VoucherInput } from './voucher-input';
import { VouchersService } from './vouchers.service';

@AdminApiController('', 'vouchers')
export class VouchersApiController {
  constructor(private readonly vouchers: VouchersService) {}

  @Get('events/:id/vouchers')
  @ApiJson(200, VoucherPage)
  async list(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Query() query: PaginationQuery,
  ): Promise<VoucherPage> {
    const { vouchers, total } = await this.vouchers.page(user, id, query.limit, query.offset);
    return { data: vouchers.map(voucherJson), total, limit: query.limit, offset: query.offset };
  }

  @Post('events/:id/vouchers')
  @ApiJson(201, CreatedVouchers, 'Created (one with the code given, or `count` generated)')
  @ApiProblem(409, 'The code is taken, or too few tickets are left to hold back')
  async create(
    @CurrentUser() user: SessionUser,
    @IdParam() id: number,
    @Body() body: CreateVouchersDto,
  ): Promise<CreatedVouchers> {
    const created = await this.vouchers.create(user, id, toInput(body));
    return { data: created.map(voucherJson) };
  }

  @Delete('vouchers/:id')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Deleted; what it held back is on sale again' })
  @ApiProblem(409, 'Used for at least one ticket')
  async remove(@CurrentUser() user: SessionUser, @IdParam() id: number): Promise<void> {
    await this.vouchers.remove(user, id);
  }
}

function toInput(body: CreateVouchersDto): VoucherInput {
  return {
    code: body.code,
    count: body.count ?? 1,
    maxUsages: body.maxUsages ?? 1,
    validUntil: body.validUntil ? new Date(body.validUntil) : null,
    ticketTypeId: body.ticketTypeId ?? null,
    dateId: body.dateId ?? null,
    priceMode: body.priceMode ?? 'none',
    value: body.value ?? 0,
    unlocksHidden: body.unlocksHidden ?? false,
    reservesCapacity: body.reservesCapacity ?? false,
    tag: body.tag ?? '',
  };
}
