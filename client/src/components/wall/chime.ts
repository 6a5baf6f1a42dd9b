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

  get unlocked(): boolean {
    return this.ctx?.state === 'running';
  }

  /** Two rising tones for a warning, three insistent ones for critical. */
  play(severity: ChimeSeverity): void {
    if (!this.enabled || this.volume <= 0) return;
    this.unlock();
    const ctx = this.ctx;
    if (!ctx) return;
    const notes = severity === 'critical' ? [880, 660, 880] : [523, 784];
    const step = severity === 'critical' ? 0.22 : 0.3;
    const t0 = ctx.currentTime + 0.02;
    notes.forEach((freq, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const start = t0 + i * step;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(Math.max(0.0002, this.volume), start + 0.02);
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
