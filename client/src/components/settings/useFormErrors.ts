import { nextTick, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { z } from 'zod';
import { toApiError, type ApiError } from '../../api';
import { serverFieldProblems } from '../../apiSend';

/**
 * Field and form errors for one form: checks the input with the shared zod schema before
 * sending, and maps a 400's `details` back onto the same fields. Messages are our own wording
 * per field (both languages); the schema's or server's text is the fallback.
 */
export function useFormErrors() {
  const { t, te } = useI18n();
  const fields = ref<Record<string, string>>({});
  const formError = ref<string | null>(null);

  const fieldText = (field: string, raw: string) => (te(`form.field.${field}`) ? t(`form.field.${field}`) : raw);

  function clear(): void {
    fields.value = {};
    formError.value = null;
  }

  function setFields(problems: Record<string, string>): void {
    fields.value = Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, fieldText(k, v)]));
    formError.value = t('form.fixFields');
  }

  /** The parsed body, or null with the problems set on their fields. */
  function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> | null {
    clear();
    const r = schema.safeParse(input);
    if (r.success) return r.data;
    const problems: Record<string, string> = {};
    for (const issue of r.error.issues) problems[String(issue.path[0] ?? '(body)')] ??= issue.message;
    setFields(problems);
    return null;
  }

  /** Shows a failed request: per field for a 400 with details, else one message by code. */
  function fail(e: unknown, byCode: Record<string, string> = {}): ApiError {
    const err = toApiError(e);
    const problems = serverFieldProblems(err);
    if (Object.keys(problems).length > 0) {
      setFields(problems);
      return err;
    }
    formError.value =
      byCode[err.code] ??
      (te(`form.failure.${err.code}`)
        ? t(`form.failure.${err.code}`, { message: err.message, code: err.code })
        : t('form.failure.generic', { code: err.code }));
    return err;
  }

  return { fields, formError, clear, validate, fail };
}

/** Moves focus to the first invalid control in `form`, so keyboard and screen reader users land on it. */
export async function focusFirstInvalid(form: HTMLElement | null | undefined): Promise<void> {
  await nextTick();
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
