// The govuk-frontend components this theme uses, and nothing else: bundled by
// esbuild (see package.json) into vendor/govuk-frontend.min.js, which site.js
// and forms.js import.  Using another component means adding it here.
import {
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  ExitThisPage,
  Radios,
  SkipLink,
  createAll,
  isSupported
} from "govuk-frontend";

const COMPONENTS = [Button, CharacterCount, Checkboxes, ErrorSummary, ExitThisPage, Radios, SkipLink];

export { ErrorSummary, ExitThisPage };

// Like govuk-frontend's initAll, for the components above.
export function initAll() {
  if (!isSupported()) return;
  for (const Component of COMPONENTS) createAll(Component);
}
