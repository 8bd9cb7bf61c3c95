export { walkRoute } from './walk-route';
export type { WalkRoute, WalkRouteOptions } from './walk-route';
export { solveClosedTour, defaultBudgetMs as defaultRouteBudgetMs } from './closed-tour';
export type { ClosedTour, ClosedTourOptions } from './closed-tour';
