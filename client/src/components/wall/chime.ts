/*
 * An audible chime for newly firing alerts (Web Audio: no sound file to load or cache).
 * Browsers start audio suspended until a user gesture; the pairing interaction (or any key or
 * tap on the screen) calls `unlock()`, after which chimes play with nobody touching the TV.
 */
export type ChimeSeverity = 'warning' | 'critical';

export class Chime {
  private ctx: AudioContext | null = null;

  constructor(
    public enabled: boolean,
    /** 0–1. */
    public volume: number,
  ) {}

  /** Creates or resumes the audio context; call from a user gesture. */
  unlock(): void {
    try {
      this.ctx ??= new AudioContext();
      if (this.ctx.state === 'suspended') void this.ctx.resume();
    } catch (e) {
      console.warn('roomwatch: Web Audio unavailable', e);
    }
  }

  /** `unlock()`, then waits for the context to run: true once sound can play without a gesture. */
  async unlockNow(): Promise<boolean> {
    this.unlock();
    try {
      await this.ctx?.resume();
    } catch (e) {
      console.warn('roomwatch: audio could not start', e);
    }
    return this.unlocked;
  }

  get unlocked(): boolean {
    return this.ctx?.state === 'running';
  }

  /** Two rising tones for a warning, three insistent ones for critical. */
  play(severity: ChimeSeverity): void {
    if (severity === 'critical') this.tones([880, 660, 880], 0.22);
    else this.tones([523, 784], 0.3);
  }

  /** One short soft tone: the person who enabled sound hears that the TV's speakers work. */
  confirm(): void {
    this.tones([660], 0.25, 0.5);
  }

  private tones(notes: readonly number[], step: number, loudness = 1): void {
    if (!this.enabled || this.volume <= 0) return;
    this.unlock();
    const ctx = this.ctx;
    if (!ctx) return;
    const t0 = ctx.currentTime + 0.02;
    notes.forEach((freq, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const start = t0 + i * step;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(Math.max(0.0002, this.volume * loudness), start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + step * 0.95);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + step);
      // Nodes are disconnected after use so weeks of alerts leave nothing behind.
      osc.onended = () => {
        osc.disconnect();
        gain.disconnect();
      };
    });
  }

  close(): void {
    void this.ctx?.close();
    this.ctx = null;
  }
}
