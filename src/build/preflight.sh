#!/usr/bin/env bash
# Run by the build before anything else (./mvnw verify; skipped with -DskipTests): checks what the tests need that
# only the system's package manager can give, so that a missing one stops the build in seconds with one line instead
# of failing tests minutes later. Names are Debian's packages.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)                          # PageTest, PageXssTest
/usr/bin/python3 -c 'import kafka' >/dev/null 2>&1 || missing+=(python3-kafka)      # PackagedAppIT: kafka-python
command -v node >/dev/null 2>&1 || missing+=(nodejs)                                # the page tests' scripts
command -v npm >/dev/null 2>&1 || missing+=(npm)                                    # their playwright-core
# mysqld of the embedded MySQL 8 (dev.posflow.devinfra.EmbeddedMySql) links against these
libraries=$( (/sbin/ldconfig -p || ldconfig -p) 2>/dev/null)
grep -q 'libaio\.so\.1' <<<"$libraries" || missing+=(libaio1)
grep -q 'libnuma\.so\.1' <<<"$libraries" || missing+=(libnuma1)
if [ ${#missing[@]} -gt 0 ]; then
    echo "posflow build: missing system package(s) ${missing[*]}; install with: apt-get install -y ${missing[*]}" >&2
    exit 1
fi
