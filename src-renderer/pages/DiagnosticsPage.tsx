import { PageHeader, Section } from '../components/Page';

export function DiagnosticsPage() {
  return (
    <>
      <PageHeader title="Diagnostics">A redacted report for support that names the cause.</PageHeader>
      <Section title="Report">
        <p className="muted">Run diagnostics to create a report you can read before sharing.</p>
      </Section>
    </>
  );
}
