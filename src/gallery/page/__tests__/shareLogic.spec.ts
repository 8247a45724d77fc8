import type { IShare } from '../../sharingTypes';
import {
  moveActive,
  pickOnEnter,
  planShares,
  principalKey,
  rebaseShares,
  sameShares,
  withShare
} from '../shareLogic';

const gus: IShare = { kind: 'user', name: 'gus', access: 'read' };
const team: IShare = { kind: 'group', name: 'team', access: 'edit' };
const teamUser: IShare = { kind: 'user', name: 'team', access: 'read' };

describe('share dialog logic', () => {
  it('tells a user and a group of the same name apart', () => {
    expect(principalKey(team)).not.toBe(principalKey(teamUser));
    expect(sameShares([team], [teamUser])).toBe(false);
    expect(sameShares([gus, team], [team, gus])).toBe(true);
    expect(sameShares([gus], [{ ...gus, access: 'edit' }])).toBe(false);
    expect(sameShares([gus], [gus, team])).toBe(false);
  });

  it('plans only the writes the draft needs', () => {
    expect(planShares([gus, team], [team, gus])).toEqual({
      put: [],
      remove: []
    });
    const plan = planShares(
      [gus, team],
      [{ ...gus, access: 'edit' }, teamUser]
    );
    expect(plan.put).toEqual([{ ...gus, access: 'edit' }, teamUser]);
    expect(plan.remove).toEqual([{ kind: 'group', name: 'team' }]);
  });

  it('adds a principal once, changing the access of one already there', () => {
    const once = withShare([gus], team, 'read');
    expect(once).toEqual([gus, { ...team, access: 'read' }]);
    expect(withShare(once, { kind: 'user', name: 'gus' }, 'edit')).toEqual([
      { ...gus, access: 'edit' },
      { ...team, access: 'read' }
    ]);
  });

  it("carries the user's changes onto shares someone else changed meanwhile", () => {
    const eddie: IShare = { kind: 'user', name: 'eddie', access: 'read' };
    const lara: IShare = { kind: 'user', name: 'lara', access: 'edit' };
    // The user removed gus, raised team... no: added eddie and removed gus.
    const draft = [team, eddie];
    // Meanwhile someone else added lara and made gus an editor.
    const current = [{ ...gus, access: 'edit' as const }, team, lara];
    expect(rebaseShares([gus, team], current, draft)).toEqual([
      team,
      lara,
      eddie
    ]);
    // An access the user changed wins over the old one; one they left alone is theirs.
    expect(
      rebaseShares(
        [gus, team],
        [gus, { ...team, access: 'read' }],
        [{ ...gus, access: 'edit' }, team]
      )
    ).toEqual([
      { ...gus, access: 'edit' },
      { ...team, access: 'read' }
    ]);
  });

  it('moves through the listbox with the arrows, entering from none', () => {
    expect(moveActive('ArrowDown', -1, 3)).toBe(0);
    expect(moveActive('ArrowUp', -1, 3)).toBe(2);
    expect(moveActive('ArrowDown', 0, 3)).toBe(1);
    expect(moveActive('ArrowDown', 2, 3)).toBe(2);
    expect(moveActive('ArrowUp', 0, 3)).toBe(0);
    expect(moveActive('Home', 2, 3)).toBe(0);
    expect(moveActive('End', 0, 3)).toBe(2);
    expect(moveActive('ArrowDown', -1, 0)).toBeNull();
    expect(moveActive('a', 1, 3)).toBeNull();
  });

  it('adds on Enter the active option, an exact name, or the typed user name', () => {
    const options = [
      { kind: 'group' as const, name: 'team' },
      { kind: 'user' as const, name: 'team-lead' }
    ];
    expect(pickOnEnter('te', options, 1)).toEqual(options[1]);
    expect(pickOnEnter(' team ', options, -1)).toEqual(options[0]);
    // Not offered: a user of that name, which the service accepts or refuses by name.
    expect(pickOnEnter('nobody', options, -1)).toEqual({
      kind: 'user',
      name: 'nobody'
    });
    expect(pickOnEnter('   ', options, -1)).toBeNull();
  });
});
