/*
 * What the plugin's definition and others need without loading the plugin's code.
 */

export namespace CommandIDs {
  export const about = 'atrium:about';
}
