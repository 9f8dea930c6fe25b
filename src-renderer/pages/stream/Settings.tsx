import type { StreamSettings } from '../../../src-main/contract/stream';
import { useStream } from '../../store/stream';

const RESOLUTIONS = [
  [1280, 720],
  [1920, 1080],
  [2560, 1440],
  [3840, 2160],
] as const;

export function StreamSettingsForm() {
  const settings = useStream((s) => s.settings);
  if (!settings) return <p className="muted">Loading settings…</p>;
  const set = (patch: Partial<StreamSettings>) => useStream.setState({ settings: { ...settings, ...patch } });
  return (
    <form className="settings-grid" aria-label="Stream settings" onSubmit={(e) => e.preventDefault()}>
      <label>
        Resolution
        <select value={`${settings.width}x${settings.height}`} onChange={(e) => { const [w, h] = e.target.value.split('x').map(Number); set({ width: w!, height: h! }); }}>
          {RESOLUTIONS.map(([w, h]) => (
            <option key={w} value={`${w}x${h}`}>{w} × {h}</option>
          ))}
        </select>
      </label>
      <label>
        Frame rate
        <select value={settings.fps} onChange={(e) => set({ fps: Number(e.target.value) })}>
          {[30, 60, 90, 120].map((f) => (
            <option key={f} value={f}>{f} fps</option>
          ))}
        </select>
      </label>
      <label>
        Bitrate (Mbps)
        <input type="number" min={1} max={500} value={settings.bitrateKbps ? settings.bitrateKbps / 1000 : ''} placeholder="automatic" onChange={(e) => set({ bitrateKbps: e.target.value ? Math.round(Number(e.target.value) * 1000) : null })} />
      </label>
      <label>
        Codec
        <select value={settings.videoCodec} onChange={(e) => set({ videoCodec: e.target.value as StreamSettings['videoCodec'] })}>
          {(['auto', 'H.264', 'HEVC', 'AV1'] as const).map((c) => (
            <option key={c} value={c}>{c === 'auto' ? 'Automatic' : c}</option>
          ))}
        </select>
      </label>
      <label>
        Window
        <select value={settings.displayMode} onChange={(e) => set({ displayMode: e.target.value as StreamSettings['displayMode'] })}>
          <option value="fullscreen">Full screen</option>
          <option value="borderless">Borderless window</option>
          <option value="windowed">Window</option>
        </select>
      </label>
      <label className="check-label">
        <input type="checkbox" checked={settings.yuv444} onChange={(e) => set({ yuv444: e.target.checked })} /> Full colour (YUV 4:4:4) when the host offers it
      </label>
      <label className="check-label">
        <input type="checkbox" checked={settings.hdr} onChange={(e) => set({ hdr: e.target.checked })} /> HDR when the host offers 10-bit
      </label>
      <label className="check-label">
        <input type="checkbox" checked={settings.absoluteMouse} onChange={(e) => set({ absoluteMouse: e.target.checked })} /> Absolute mouse (pen tablets, desktop work)
      </label>
      <label className="check-label" title="Moonlight then treats the connection like a local network: larger packets, QoS tagging (some ISP equipment drops tagged traffic).">
        <input type="checkbox" checked={settings.maxPacketSize} onChange={(e) => set({ maxPacketSize: e.target.checked })} /> Maximum packet size for this tunnel (switches Moonlight to local-network mode)
      </label>
    </form>
  );
}
