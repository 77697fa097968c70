/** One invalid annotation: its key, the value as given, and what is wrong and how to fix it. */
export interface AnnotationProblem {
  annotation: string;
  value: string | undefined;
  message: string;
}

/** Renders a problem as `annotation KEY: "VALUE" MESSAGE` (values are truncated to 80 chars). */
export function describeProblem(problem: AnnotationProblem): string {
  if (problem.value === undefined) return `annotation ${problem.annotation}: ${problem.message}`;
  const shown = problem.value.length > 80 ? `${problem.value.slice(0, 77)}...` : problem.value;
  return `annotation ${problem.annotation}: ${JSON.stringify(shown)} ${problem.message}`;
}

const MAX_PROBLEMS_SHOWN = 20;

/** The pod's annotations do not describe a valid injection; carries every problem found. */
export class AnnotationError extends Error {
  override readonly name = 'AnnotationError';
  constructor(readonly problems: readonly AnnotationProblem[]) {
    // A hostile pod can carry thousands of bad annotations; the denial names the first ones.
    const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map(describeProblem);
    if (problems.length > MAX_PROBLEMS_SHOWN) shown.push(`and ${problems.length - MAX_PROBLEMS_SHOWN} more problems`);
    super(shown.join('; '));
  }
}
