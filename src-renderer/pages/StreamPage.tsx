import { PageHeader, Section } from '../components/Page';

export function StreamPage() {
  return (
    <>
      <PageHeader title="Stream">Open the farm workstation in Moonlight, with settings that fit the tunnel.</PageHeader>
      <Section title="Hosts">
        <p className="muted">Hosts come from your site file once a profile is imported.</p>
      </Section>
    </>
  );
}
