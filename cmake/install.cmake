# SPDX-License-Identifier: GPL-2.0-or-later
# Installation of everything but the binary (src/CMakeLists.txt installs
# footloop): systemd units, the configuration and the documentation.
#
#   cmake --install build [--prefix P]        (or DESTDIR=... for packages)
#
# Units: system units (footloop.service, jackd.service) go to
# FL_SYSTEMD_UNIT_DIR, the user unit (footloop-user.service, PipeWire) to
# FL_SYSTEMD_USER_UNIT_DIR. Empty (the default) means: systemd's own
# directories (pkg-config systemd: systemdsystemunitdir / systemduserunitdir)
# when the install prefix is /usr, else lib/systemd/system and
# lib/systemd/user under the prefix (systemd also reads
# /usr/local/lib/systemd/...). The units are generated at install time from
# systemd/*.in, so the footloop path and the configuration path in
# ExecStart follow the prefix actually used (--prefix included).
#
# Configuration: footloop.conf, gpio.conf, fx-presets.conf and midi/*.conf
# to <sysconfdir>/footloop (CMAKE_INSTALL_SYSCONFDIR: "etc" under the
# prefix; packagers set it to /etc). Relative names inside footloop.conf
# (presets = fx-presets.conf, map = midi/...) keep working there.
# Documentation: README.md to <docdir>, docs/*.md and hw/*.md to <docdir>/docs and
# <docdir>/hw (the README's links keep working).

set(FL_SYSTEMD_UNIT_DIR "" CACHE PATH
  "systemd system unit directory (empty: systemd's when the prefix is /usr, else lib/systemd/system)")
set(FL_SYSTEMD_USER_UNIT_DIR "" CACHE PATH
  "systemd user unit directory (empty: systemd's when the prefix is /usr, else lib/systemd/user)")

set(_fl_sys_dir "${FL_SYSTEMD_UNIT_DIR}")
set(_fl_user_dir "${FL_SYSTEMD_USER_UNIT_DIR}")
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  pkg_check_modules(FL_SYSTEMD_PC QUIET systemd)
  if(FL_SYSTEMD_PC_FOUND)
    if(NOT _fl_sys_dir)
      pkg_get_variable(_fl_sys_dir systemd systemdsystemunitdir)
    endif()
    if(NOT _fl_user_dir)
      pkg_get_variable(_fl_user_dir systemd systemduserunitdir)
    endif()
  endif()
endif()
if(NOT _fl_sys_dir)
  set(_fl_sys_dir lib/systemd/system)
endif()
if(NOT _fl_user_dir)
  set(_fl_user_dir lib/systemd/user)
endif()

set(_fl_units_out "${PROJECT_BINARY_DIR}/systemd")
# At install time: the prefix in use decides the paths inside the units.
install(CODE "
  set(_bindir \"${CMAKE_INSTALL_BINDIR}\")
  if(NOT IS_ABSOLUTE \"\${_bindir}\")
    set(_bindir \"\${CMAKE_INSTALL_PREFIX}/\${_bindir}\")
  endif()
  set(_confdir \"${CMAKE_INSTALL_SYSCONFDIR}\")
  if(NOT IS_ABSOLUTE \"\${_confdir}\")
    set(_confdir \"\${CMAKE_INSTALL_PREFIX}/\${_confdir}\")
  endif()
  set(FL_BINDIR \"\${_bindir}\")
  set(FL_CONFDIR \"\${_confdir}/footloop\")
  foreach(_u footloop.service footloop-user.service jackd.service)
    configure_file(\"${PROJECT_SOURCE_DIR}/systemd/\${_u}.in\" \"${_fl_units_out}/\${_u}\" @ONLY)
  endforeach()
")
install(FILES "${_fl_units_out}/footloop.service" "${_fl_units_out}/jackd.service"
  DESTINATION "${_fl_sys_dir}")
install(FILES "${_fl_units_out}/footloop-user.service" DESTINATION "${_fl_user_dir}")

install(FILES config/footloop.conf config/gpio.conf config/fx-presets.conf
  DESTINATION "${CMAKE_INSTALL_SYSCONFDIR}/footloop")
file(GLOB _fl_midi_maps "${PROJECT_SOURCE_DIR}/config/midi/*.conf")
install(FILES ${_fl_midi_maps} DESTINATION "${CMAKE_INSTALL_SYSCONFDIR}/footloop/midi")

file(GLOB _fl_docs "${PROJECT_SOURCE_DIR}/docs/*.md")
file(GLOB _fl_hw_docs "${PROJECT_SOURCE_DIR}/hw/*.md")
install(FILES README.md DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(FILES ${_fl_docs} DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs")
install(FILES ${_fl_hw_docs} DESTINATION "${CMAKE_INSTALL_DOCDIR}/hw")
