import { confirmPairing, useStream } from '../../store/stream';

export function Pairing() {
  const pairing = useStream((s) => s.pairing);
  if (!pairing) return null;
  return (
    <section className="card pairing" aria-label="Pairing">
      <h2>Pair with {pairing.host}</h2>
      <p>
        Enter this PIN in <strong>{pairing.enterAt}</strong>:
      </p>
      <p className="pin mono" data-testid="pairing-pin" aria-label={`PIN ${pairing.pin.split('').join(' ')}`}>{pairing.pin}</p>
      <p className="muted">{pairing.instructions}</p>
      <div className="row">
        <button className="primary" onClick={() => void confirmPairing()}>I entered the PIN</button>
        <button onClick={() => useStream.setState({ pairing: null })}>Close</button>
      </div>
      {pairing.result ? <p role="status">{pairing.result}</p> : null}
    </section>
  );
}
