// The exploration weight for rollout i of R (0-based i), as in the reference MCTS (rStar's weight_scheduler):
// const c; linear c·(1 − 0.9·i/R); exponential c·0.1^(i/R). Both decaying schedules end near c/10: explore early,
// exploit late.
import type { ExplorationSchedule } from "./search-config.ts";

export function explorationWeight(schedule: ExplorationSchedule, c: number, rolloutIndex: number, rollouts: number): number {
  const progress = rolloutIndex / rollouts;
  switch (schedule) {
    case "const":
      return c;
    case "linear":
      return c * (1 - 0.9 * progress);
    case "exponential":
      return c * 0.1 ** progress;
  }
}
