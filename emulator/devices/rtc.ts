// Real-time clock of the glaunch-virt board: seconds since the Unix epoch, taken from the
// host wall clock through the injected Clock. A guest can only read 64 bits as two 32-bit
// halves, so reading TIME_LO latches the whole value (and the nanoseconds) and TIME_HI /
// TIME_NSEC return the latched parts: a carry between the two reads cannot tear the time.
// Writing SET_LO then SET_HI sets the guest's time as an offset from the host clock;
// the host clock itself is never changed.
import type { Clock, MmioDevice, MmioWidth } from './bus';

export const RTC_TIME_LO = 0x00; // R: seconds bits 31:0, latches everything below
export const RTC_TIME_HI = 0x04; // R: latched seconds bits 63:32
export const RTC_TIME_NSEC = 0x08; // R: latched nanoseconds within the second
export const RTC_ID = 0x0c; // R: 0x52544331 "RTC1"
export const RTC_SET_LO = 0x10; // W: new seconds bits 31:0 (staged)
export const RTC_SET_HI = 0x14; // W: new seconds bits 63:32, applies the staged value
export const RTC_ID_VALUE = 0x52544331;

export class Rtc implements MmioDevice {
  readonly name = 'rtc';
  readonly size = 0x20;
  private offsetNs = 0;
  private latchSec = 0;
  private latchNsec = 0;
  private stagedLo = 0;

  constructor(private readonly clock: Clock) {}

  reset(): void {
    // The guest's time offset survives a board reset, like a battery-backed clock.
    this.latchSec = this.latchNsec = this.stagedLo = 0;
  }

  read(offset: number, width: MmioWidth): number {
    if (width !== 4) return 0;
    switch (offset) {
      case RTC_TIME_LO: {
        const ns = this.clock.nowNs() + this.offsetNs;
        this.latchSec = Math.max(0, Math.floor(ns / 1e9));
        this.latchNsec = Math.max(0, Math.floor(ns - this.latchSec * 1e9));
        return this.latchSec >>> 0;
      }
      case RTC_TIME_HI:
        return Math.floor(this.latchSec / 0x1_0000_0000) >>> 0;
      case RTC_TIME_NSEC:
        return Math.min(this.latchNsec, 999_999_999);
      case RTC_ID:
        return RTC_ID_VALUE;
      default:
        return 0;
    }
  }

  write(offset: number, width: MmioWidth, value: number): void {
    if (width !== 4) return;
    if (offset === RTC_SET_LO) this.stagedLo = value >>> 0;
    if (offset === RTC_SET_HI) {
      const sec = (value >>> 0) * 0x1_0000_0000 + this.stagedLo;
      this.offsetNs = sec * 1e9 - this.clock.nowNs();
    }
  }
}
