import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { CLASSES } from './ids';
import type { IPointsState } from './findings';

/** The points total in the notebook toolbar; `state` is set after each lint run. */
export class PointsTotal extends ReactWidget {
  constructor() {
    super();
    this.addClass(CLASSES.points);
    this.hide();
  }

  set state(state: IPointsState) {
    this._state = state;
    this.setHidden(!state.visible);
    this.toggleClass('jp-Atrium-Grader-mod-error', state.errors > 0);
    this.update();
  }

  get state(): IPointsState | null {
    return this._state;
  }

  protected render(): JSX.Element | null {
    const state = this._state;
    if (state === null) {
      return null;
    }
    return (
      <span
        className="jp-Atrium-Grader-points-text"
        title={state.title}
        data-errors={state.errors}
      >
        {state.text}
      </span>
    );
  }

  private _state: IPointsState | null = null;
}
