import * as React from 'react';

/**
 * A ref for a `<dialog>` that opens as a modal once mounted (the page's share and deprecate
 * dialogs): the browser then keeps the focus in it and Escape cancels it.
 */
export function useModalDialog(): React.RefObject<HTMLDialogElement> {
  const dialog = React.useRef<HTMLDialogElement>(null);
  React.useEffect(() => {
    const node = dialog.current;
    if (node && !node.open) {
      if (typeof node.showModal === 'function') {
        node.showModal();
      } else {
        node.setAttribute('open', ''); // no modal dialogs (older engines, jsdom)
      }
    }
  }, []);
  return dialog;
}
