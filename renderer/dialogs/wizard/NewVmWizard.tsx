/**
 * New VM wizard: name/OS/preset → memory/vCPUs → storage → summary → Create. Each step is
 * validated with the shared schema before moving on; problems main reports on Create are put
 * next to their field and the wizard jumps back to the step that shows it.
 */
import { useState } from 'react';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Step,
  StepLabel,
  Stepper,
} from '@mui/material';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../main/common/api-error';
import { useApi } from '../../api/context';
import {
  WIZARD_STEP_FIELDS,
  defaultNewVmForm,
  firstStepWithProblem,
  toNewVmInput,
  toWizardProblems,
  validateNewVm,
} from '../../forms/new-vm';
import type { NewVmForm, WizardField, WizardProblems } from '../../forms/new-vm';
import { StepHardware } from './StepHardware';
import { StepName } from './StepName';
import { StepStorage } from './StepStorage';
import { StepSummary } from './StepSummary';

const STEPS = [
  'wizard.stepName',
  'wizard.stepHardware',
  'wizard.stepStorage',
  'wizard.stepSummary',
];

export interface StepProps {
  form: NewVmForm;
  /** Translated problems to show, by field. */
  errors: WizardProblems;
  change(patch: Partial<NewVmForm>, fields: WizardField[]): void;
  setForm(f: NewVmForm, fields: WizardField[]): void;
}

interface Props {
  /** Names already in the library. */
  taken: readonly string[];
  onClose(): void;
  onCreated(name: string): void;
}

export function NewVmWizard({ taken, onClose, onCreated }: Props) {
  const api = useApi();
  const { t } = useTranslation();
  const [step, setStep] = useState(0);
  const [form, setFormState] = useState<NewVmForm>(defaultNewVmForm);
  /** Fields whose problems are shown: edited ones, and all of a step the user tried to leave. */
  const [shown, setShown] = useState<Set<WizardField>>(new Set());
  const [serverProblems, setServerProblems] = useState<WizardProblems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const problems = validateNewVm(form, taken);
  const errors: WizardProblems = {};
  for (const f of Object.keys({ ...problems, ...serverProblems }) as WizardField[]) {
    const m = serverProblems[f] ?? (shown.has(f) ? problems[f] : undefined);
    if (m) errors[f] = m;
  }

  const setForm = (f: NewVmForm, fields: WizardField[]) => {
    setFormState(f);
    setShown((s) => new Set([...s, ...fields]));
    setServerProblems((sp) => {
      const next = { ...sp };
      for (const x of fields) delete next[x];
      return next;
    });
  };
  const change = (patch: Partial<NewVmForm>, fields: WizardField[]) =>
    setForm({ ...form, ...patch }, fields);

  const stepHasProblem = (i: number) =>
    WIZARD_STEP_FIELDS[i].some((f) => problems[f] || serverProblems[f]);
  const next = () => {
    setShown((s) => new Set([...s, ...WIZARD_STEP_FIELDS[step]]));
    if (!stepHasProblem(step)) setStep(step + 1);
  };

  const create = async () => {
    const all = WIZARD_STEP_FIELDS.flat();
    setShown(new Set(all));
    if (Object.keys(problems).length) return setStep(firstStepWithProblem(problems));
    setBusy(true);
    setFailure(null);
    try {
      const config = await api.createVm(toNewVmInput(form));
      onCreated(config.name);
    } catch (e) {
      if (e instanceof ApiError && e.problems?.length) {
        const sp = toWizardProblems(form, e.problems);
        setServerProblems(sp);
        setStep(firstStepWithProblem(sp));
      } else setFailure(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const last = step === STEPS.length - 1;
  const stepProps: StepProps = { form, errors, change, setForm };
  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="wizard-title"
      slotProps={{
        paper: {
          'data-testid': 'wizard',
          component: 'form',
          onSubmit: (e: React.FormEvent) => {
            // Enter in a text field means "Next" (or Create on the last step).
            e.preventDefault();
            if (!busy) void (last ? create() : next());
          },
        } as object,
      }}
    >
      <DialogTitle id="wizard-title">{t('wizard.title')}</DialogTitle>
      <DialogContent dividers sx={{ minHeight: 430 }}>
        <Stepper activeStep={step} sx={{ mb: 3 }} alternativeLabel>
          {STEPS.map((s, i) => (
            <Step key={s} completed={i < step}>
              <StepLabel error={i < step && stepHasProblem(i)}>{t(s)}</StepLabel>
            </Step>
          ))}
        </Stepper>
        {step === 0 && <StepName {...stepProps} />}
        {step === 1 && <StepHardware {...stepProps} />}
        {step === 2 && <StepStorage {...stepProps} />}
        {step === 3 && <StepSummary {...stepProps} />}
        {failure && (
          <Alert severity="error" sx={{ mt: 2 }} data-testid="wizard-error">
            {failure}
          </Alert>
        )}
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 1.5 }}>
        <Button onClick={onClose} disabled={busy} data-testid="wizard-cancel">
          {t('common.cancel')}
        </Button>
        <Button
          onClick={() => setStep(step - 1)}
          disabled={busy || step === 0}
          data-testid="wizard-back"
        >
          {t('common.back')}
        </Button>
        {last ? (
          <Button type="submit" variant="contained" disabled={busy} data-testid="wizard-create">
            {busy ? t('common.working') : t('wizard.create')}
          </Button>
        ) : (
          <Button type="submit" variant="contained" data-testid="wizard-next">
            {t('common.next')}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
