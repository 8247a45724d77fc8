import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';

/**
 * The gettext domain of every user-visible Atrium string.
 */
export const TRANSLATION_DOMAIN = 'jupyterlab_atrium';

/**
 * The Atrium bundle of a translator; plugins take `ITranslator` as optional.
 */
export function atriumBundle(
  translator: ITranslator | null | undefined
): TranslationBundle {
  return (translator ?? nullTranslator).load(TRANSLATION_DOMAIN);
}
