import { PageHeader, Section } from '../components/Page';

export function ChecksPage() {
  return (
    <>
      <PageHeader title="Checks">Proves the tunnel resolves names and carries large packets before you stream.</PageHeader>
      <Section title="Checklist">
        <p className="muted">Connect first; the checks run automatically after connecting.</p>
      </Section>
    </>
  );
}
