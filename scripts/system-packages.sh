# Sourced by test.sh: the Debian packages the test suite needs beyond Python's.
#   chromium             the browser tests (tests/e2e) drive /usr/bin/chromium
#   libharfbuzz-subset0  WeasyPrint subsets fonts with it (and warns without it)
#   gettext              the translation checks run makemessages
# Installs what is missing when run as root on Debian; otherwise says what to install.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so' || missing+=(libharfbuzz-subset0)
command -v xgettext >/dev/null || missing+=(gettext)

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing Debian packages: ${missing[*]} ..."
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "Kovablik's tests need these Debian packages: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi
