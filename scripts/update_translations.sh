#!/usr/bin/env bash
# Extract every message (Python, templates, N_-marked service messages) into
# app/translations/messages.pot and merge it into each catalogue (French: fr).
# Then translate the new or fuzzy entries of app/translations/*/LC_MESSAGES/messages.po and
# run `make translations` to compile them; tests/core/test_translations.py checks the result.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BABEL="${PYBABEL:-.venv/bin/pybabel} -q"

$BABEL extract -F babel.cfg -k _l -k N_ -k lazy_gettext --add-location=file --sort-output \
  --add-comments=TRANSLATORS: --ignore-dirs=".venv node_modules .git instance test-artifacts" \
  --project Suivi --copyright-holder "Suivi" --msgid-bugs-address "" \
  -o app/translations/messages.pot.new .
# Keep the old template (and so the catalogues) when only its creation date would change.
if [ -f app/translations/messages.pot ] && diff -q \
    <(grep -v '^"POT-Creation-Date:' app/translations/messages.pot) \
    <(grep -v '^"POT-Creation-Date:' app/translations/messages.pot.new) >/dev/null; then
  rm app/translations/messages.pot.new
  echo "app/translations/messages.pot: no new or changed message"
else
  mv app/translations/messages.pot.new app/translations/messages.pot
fi
for lang in ${LANGUAGES:-fr}; do
  if [ -f "app/translations/$lang/LC_MESSAGES/messages.po" ]; then
    $BABEL update -i app/translations/messages.pot -d app/translations -l "$lang" \
      --no-fuzzy-matching --ignore-obsolete
  else
    $BABEL init -i app/translations/messages.pot -d app/translations -l "$lang"
  fi
done
$PY - <<'PYEOF'
from babel.messages.pofile import read_po
import glob
for path in sorted(glob.glob("app/translations/*/LC_MESSAGES/messages.po")):
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    todo = [m for m in catalog if m.id and (not m.string or m.fuzzy or
            (isinstance(m.string, tuple) and not all(m.string)))]
    print(f"{path}: {len([m for m in catalog if m.id])} messages, {len(todo)} to translate")
PYEOF
