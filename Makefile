# Cutover: build, install and uninstall cutoverd and cutoverctl with their systemd units, man
# page and shell completions.
#
#   make build                          swift build -c release --static-swift-stdlib (cutoverd, cutoverctl)
#   sudo make install                   into /usr/local (units in /usr/local/lib/systemd/system)
#   make install PREFIX=/usr DESTDIR=pkg   for a package: units in /usr/lib/systemd/system
#   sudo make uninstall                 removes what install put there (not config, not state)
#   make man                            regenerates docs/man/cutoverctl.1 from the command tree
#
# install does not build (do not run the Swift toolchain as root): run `make build` first, or
# point BUILD_DIR at binaries built elsewhere.

PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/cutover
DATADIR    ?= $(PREFIX)/share
SYSCONFDIR ?= /etc
# systemd reads units from /usr/local/lib/systemd/system as well as /usr/lib/systemd/system, but
# systemd 252 reads sysusers.d and tmpfiles.d only from /usr/lib, /run and /etc: a /usr/local
# install puts those two in /etc.
UNITDIR     ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/systemd/system,$(PREFIX)/lib/systemd/system)
SYSUSERSDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/sysusers.d,$(SYSCONFDIR)/sysusers.d)
TMPFILESDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/tmpfiles.d,$(SYSCONFDIR)/tmpfiles.d)
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d

SWIFT      ?= swift
BUILD_DIR  ?= .build/release
INSTALL    ?= install

BINARIES   = cutoverd cutoverctl
UNITS      = cutoverd.service cutoverd.socket

.PHONY: all build man install uninstall check-binaries

all: build

# --static-swift-stdlib: the Swift runtime and Foundation are linked in, so the binaries need only
# the system's libc, libcurl, libssl, libsqlite3 and libxml2 (an EC2 or plain host without a Swift
# toolchain runs them), and cutoverd idles in less memory (docs/DAEMON.md, "Footprint").
build:
	$(SWIFT) build -c release --static-swift-stdlib --product cutoverd
	$(SWIFT) build -c release --static-swift-stdlib --product cutoverctl

man: check-binaries
	scripts/gen-man $(BUILD_DIR)/cutoverctl docs/man/cutoverctl.1

check-binaries:
	@for b in $(BINARIES); do \
	  test -x "$(BUILD_DIR)/$$b" || { echo "make: $(BUILD_DIR)/$$b is not built; run \`make build\` first (or set BUILD_DIR)" >&2; exit 1; }; \
	done

install: check-binaries
	$(INSTALL) -d "$(DESTDIR)$(BINDIR)"
	$(INSTALL) -m 0755 "$(BUILD_DIR)/cutoverd" "$(DESTDIR)$(BINDIR)/cutoverd"
	$(INSTALL) -m 0755 "$(BUILD_DIR)/cutoverctl" "$(DESTDIR)$(BINDIR)/cutoverctl"
	$(INSTALL) -d "$(DESTDIR)$(UNITDIR)"
	@# The units name the binary and the docs by path: rewrite them for this PREFIX.
	for u in $(UNITS); do \
	  sed -e 's|/usr/local/bin/|$(BINDIR)/|g' -e 's|/usr/local/share/doc/cutover|$(DOCDIR)|g' \
	      -e 's|/etc/cutover/|$(SYSCONFDIR)/cutover/|g' "systemd/$$u" > "$(DESTDIR)$(UNITDIR)/$$u.tmp" && \
	  chmod 0644 "$(DESTDIR)$(UNITDIR)/$$u.tmp" && mv "$(DESTDIR)$(UNITDIR)/$$u.tmp" "$(DESTDIR)$(UNITDIR)/$$u" || exit 1; \
	done
	$(INSTALL) -d "$(DESTDIR)$(SYSUSERSDIR)" "$(DESTDIR)$(TMPFILESDIR)"
	$(INSTALL) -m 0644 systemd/sysusers.d/cutover.conf "$(DESTDIR)$(SYSUSERSDIR)/cutover.conf"
	$(INSTALL) -m 0644 systemd/tmpfiles.d/cutover.conf "$(DESTDIR)$(TMPFILESDIR)/cutover.conf"
	@# The configuration is the administrator's once installed: never overwrite it.
	$(INSTALL) -d "$(DESTDIR)$(SYSCONFDIR)/cutover"
	@if [ -e "$(DESTDIR)$(SYSCONFDIR)/cutover/cutoverd.yaml" ]; then \
	  echo "keeping $(DESTDIR)$(SYSCONFDIR)/cutover/cutoverd.yaml (the shipped one is config/cutoverd.yaml)"; \
	else \
	  $(INSTALL) -m 0644 config/cutoverd.yaml "$(DESTDIR)$(SYSCONFDIR)/cutover/cutoverd.yaml"; \
	fi
	$(INSTALL) -d "$(DESTDIR)$(MANDIR)/man1" "$(DESTDIR)$(DOCDIR)"
	$(INSTALL) -m 0644 docs/man/cutoverctl.1 "$(DESTDIR)$(MANDIR)/man1/cutoverctl.1"
	$(INSTALL) -m 0644 docs/CUTOVERCTL.md "$(DESTDIR)$(DOCDIR)/CUTOVERCTL.md"
	$(INSTALL) -d "$(DESTDIR)$(BASHCOMPDIR)" "$(DESTDIR)$(ZSHCOMPDIR)" "$(DESTDIR)$(FISHCOMPDIR)"
	"$(BUILD_DIR)/cutoverctl" --generate-completion-script bash > "$(DESTDIR)$(BASHCOMPDIR)/cutoverctl"
	"$(BUILD_DIR)/cutoverctl" --generate-completion-script zsh > "$(DESTDIR)$(ZSHCOMPDIR)/_cutoverctl"
	"$(BUILD_DIR)/cutoverctl" --generate-completion-script fish > "$(DESTDIR)$(FISHCOMPDIR)/cutoverctl.fish"
	chmod 0644 "$(DESTDIR)$(BASHCOMPDIR)/cutoverctl" "$(DESTDIR)$(ZSHCOMPDIR)/_cutoverctl" "$(DESTDIR)$(FISHCOMPDIR)/cutoverctl.fish"
	@if [ -z "$(DESTDIR)" ]; then \
	  echo; \
	  echo "Installed. Next, as root:"; \
	  echo "  systemd-sysusers $(SYSUSERSDIR)/cutover.conf"; \
	  echo "  systemd-tmpfiles --create $(TMPFILESDIR)/cutover.conf"; \
	  echo "  systemctl daemon-reload && systemctl enable --now cutoverd.socket"; \
	  echo "  usermod -aG cutover-approvers USER   # for each operator and approver"; \
	fi

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/cutoverd" "$(DESTDIR)$(BINDIR)/cutoverctl"
	for u in $(UNITS); do rm -f "$(DESTDIR)$(UNITDIR)/$$u"; done
	rm -f "$(DESTDIR)$(SYSUSERSDIR)/cutover.conf" "$(DESTDIR)$(TMPFILESDIR)/cutover.conf"
	rm -f "$(DESTDIR)$(MANDIR)/man1/cutoverctl.1" "$(DESTDIR)$(DOCDIR)/CUTOVERCTL.md"
	-rmdir "$(DESTDIR)$(DOCDIR)" 2>/dev/null
	rm -f "$(DESTDIR)$(BASHCOMPDIR)/cutoverctl" "$(DESTDIR)$(ZSHCOMPDIR)/_cutoverctl" "$(DESTDIR)$(FISHCOMPDIR)/cutoverctl.fish"
	@echo "Kept $(SYSCONFDIR)/cutover (configuration, credentials) and /var/lib/cutover (journal, audit key):"
	@echo "they are the audit record; remove them by hand once it is archived."
