/** Right-hand pane: everything about the selected (accessible) machine, section by section. */
import { Box, Chip, Stack, Typography } from '@mui/material';
import InfoIcon from '@mui/icons-material/InfoOutlined';
import ChipIcon from '@mui/icons-material/MemoryOutlined';
import StorageIcon from '@mui/icons-material/StorageOutlined';
import SerialIcon from '@mui/icons-material/CableOutlined';
import VirtIcon from '@mui/icons-material/LayersOutlined';
import NotesIcon from '@mui/icons-material/NotesOutlined';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { VmState } from '../../main/common/api';
import type { VmConfig } from '../../main/common/vm-config';
import { CU_INTERCEPTS, MU_INTERCEPTS } from '../../main/common/vm-config';
import { cpuModel } from '../../emulator/cpu/models';
import { OsIcon } from '../app/OsIcon';
import { bootChoiceOf, formatMiB } from '../forms/vm-config-form';
import type { SettingsTab } from '../forms/vm-config-form';
import { Facts, Section } from './Section';

interface Props {
  config: VmConfig;
  state: VmState;
  onOpenSettings(tab: SettingsTab): void;
}

const EXCERPT = 140;

export function Details({ config: c, state, onOpenSettings }: Props) {
  const { t, i18n } = useTranslation();
  const date = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(iso),
    );
  const model = cpuModel(c.cpu.model);
  const mem = formatMiB(c.memoryMiB);
  const enabled = (rec: Record<string, boolean>, keys: readonly string[]) => {
    const on = keys.filter((k) => rec[k]);
    return on.length ? on.join(', ') : t('details.noneEnabled');
  };
  const excerpt =
    c.description.length > EXCERPT
      ? `${c.description.slice(0, EXCERPT).trimEnd()}…`
      : c.description;

  return (
    <Box
      data-testid="details"
      aria-label={t('details.label', { name: c.name })}
      component="main"
      sx={{ p: 3 }}
    >
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 3 }}>
        <OsIcon os={c.osType} size={48} />
        <Box sx={{ minWidth: 0 }}>
          <Typography
            variant="h5"
            component="h2"
            sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}
          >
            {c.name}
          </Typography>
          <Typography sx={{ color: '%s' }}>{t(`os.${c.osType}`)}</Typography>
        </Box>
        <Chip
          label={t(`state.${state}`)}
          size="small"
          variant="outlined"
          sx={{ ml: 'auto !important' }}
        />
      </Stack>
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: 'repeat(auto-fill, minmax(340px, 1fr))',
          alignItems: 'start',
        }}
      >
        <Section
          id="general"
          title={t('details.general')}
          icon={<InfoIcon />}
          onOpen={() => onOpenSettings('general')}
        >
          <Facts
            rows={[
              [t('details.name'), c.name],
              [t('details.osType'), t(`os.${c.osType}`)],
              [t('details.descriptionExcerpt'), excerpt || t('details.noDescription')],
              [t('details.modified'), date(c.modifiedAt)],
            ]}
          />
        </Section>
        <Section
          id="system"
          title={t('details.system')}
          icon={<ChipIcon />}
          onOpen={() => onOpenSettings('system')}
        >
          <Facts
            rows={[
              [t('details.cpu'), t('details.cpuValue', { name: model.name, iset: model.iset })],
              [t('details.vcpus'), String(c.cpu.count)],
              [t('details.memory'), t(mem.key, { value: mem.value })],
              [t('details.bootOrder'), t(`boot.${bootChoiceOf(c.bootOrder)}`)],
            ]}
          />
        </Section>
        <Section
          id="storage"
          title={t('details.storage')}
          icon={<StorageIcon />}
          onOpen={() => onOpenSettings('storage')}
        >
          {c.storage.length === 0 ? (
            <Typography sx={{ color: '%s' }}>{t('details.noStorage')}</Typography>
          ) : (
            <Facts
              rows={c.storage.map((s) => [
                `${s.slot} · ${t(`medium.${s.type}`)}`,
                <>
                  <Box component="span" sx={{ fontFamily: 'monospace', fontSize: 13 }}>
                    {s.path}
                  </Box>
                  {s.readOnly && (
                    <Typography
                      component="span"

                      sx={{ color: 'text.secondary', ml: 1, fontSize: 13 }}
                    >
                      ({t('details.readOnly')})
                    </Typography>
                  )}
                </>,
              ])}
            />
          )}
        </Section>
        <Section
          id="serial"
          title={t('details.serial')}
          icon={<SerialIcon />}
          onOpen={() => onOpenSettings('serial')}
        >
          {c.serialPorts.length === 0 ? (
            <Typography sx={{ color: '%s' }}>{t('details.noSerial')}</Typography>
          ) : (
            <Facts
              rows={[...c.serialPorts]
                .sort((a, b) => a.index - b.index)
                .map((p) => [
                  `ttyS${p.index}`,
                  t(`serialValue.${p.mode}`, { port: p.tcpPort, path: p.filePath }),
                ])}
            />
          )}
        </Section>
        <Section
          id="virtualization"
          title={t('details.virtualization')}
          icon={<VirtIcon />}
          onOpen={() => onOpenSettings('virtualization')}
        >
          <Facts
            rows={[
              [
                t('details.cuIntercepts'),
                <Mono key="cu">{enabled(c.virtualization.cuIntercepts, CU_INTERCEPTS)}</Mono>,
              ],
              [
                t('details.muIntercepts'),
                <Mono key="mu">{enabled(c.virtualization.muIntercepts, MU_INTERCEPTS)}</Mono>,
              ],
              [t('details.gpaMapping'), t(`gpa.${c.virtualization.gpaMapping}`)],
              [t('details.quantum'), quantumText(c.virtualization.quantumUs, t)],
            ]}
          />
        </Section>
        <Section
          id="description"
          title={t('details.description')}
          icon={<NotesIcon />}
          onOpen={() => onOpenSettings('general')}
        >
          <Typography
            sx={{
              whiteSpace: 'pre-wrap',
              overflowWrap: 'anywhere',
              color: c.description ? 'text.primary' : 'text.secondary',
            }}
          >
            {c.description || t('details.noDescription')}
          </Typography>
        </Section>
      </Box>
    </Box>
  );
}

function Mono({ children }: { children: string }) {
  return (
    <Box component="span" sx={{ fontFamily: 'monospace', fontSize: 13 }}>
      {children}
    </Box>
  );
}

function quantumText(us: number, t: TFunction): string {
  return us >= 1000 && us % 1000 === 0
    ? t('units.ms', { value: us / 1000 })
    : t('units.us', { value: us });
}
