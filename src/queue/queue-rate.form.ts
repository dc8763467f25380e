import { IsInt, Max, Min } from 'class-validator';
import { PostedInteger } from '../common/forms/number.decorators';

export class QueueRateForm {
  @PostedInteger()
  @Max(100_000, { message: 'Must be a whole number from 1 to 100000' })
  @Min(1, { message: 'Must be a whole number from 1 to 100000' })
  @IsInt({ message: 'Must be a whole number from 1 to 100000' })
  admissionPerMinute!: number;
}
