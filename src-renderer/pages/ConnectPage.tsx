import { PageHeader, Section } from '../components/Page';

export function ConnectPage() {
  return (
    <>
      <PageHeader title="Connect">Connect to the render farm with the profile IT gave you.</PageHeader>
      <Section title="Profiles">
        <p className="muted">No profile yet. Import the .conf or bundle from IT to get started.</p>
      </Section>
    </>
  );
}
