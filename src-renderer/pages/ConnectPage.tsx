import { PageHeader, Section } from '../components/Page';
import { useProfiles } from '../store/profiles';
import { ConnectControl } from './connect/ConnectControl';
import { ImportPanel } from './connect/ImportPanel';
import { ImportResult } from './connect/ImportResult';
import { ProfileDetail } from './connect/ProfileDetail';
import { ProfileList } from './connect/ProfileList';

export function ConnectPage() {
  const warning = useProfiles((s) => s.secretStoreWarning);
  return (
    <>
      <PageHeader title="Connect">Connect to the render farm with the profile IT gave you.</PageHeader>
      <ConnectControl />
      <Section title="Profiles">
        <ImportPanel />
        <ImportResult />
        <ProfileList />
        {warning ? <p className="warn" role="note">{warning}</p> : null}
      </Section>
      <ProfileDetail />
    </>
  );
}
