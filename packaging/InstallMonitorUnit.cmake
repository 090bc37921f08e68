# Runs at install time (cmake --install, cpack), included from the install(CODE) in
# CMakeLists.txt: writes vibeml-monitor.service naming the installed vibeml by its absolute path
# and installs it with the other systemd user units.
if(CMAKE_INSTALL_PREFIX MATCHES "/_CPack_Packages/")
    # A relocatable archive (TGZ) being staged has no fixed path: let systemd find vibeml on its
    # own search path (/usr/local/bin, /usr/bin), where unpacking the archive puts it.
    set(VIBEML_MONITOR_PROGRAM vibeml)
elseif(IS_ABSOLUTE "${VIBEML_BINDIR}")
    set(VIBEML_MONITOR_PROGRAM "${VIBEML_BINDIR}/vibeml")
else()
    set(VIBEML_MONITOR_PROGRAM "${CMAKE_INSTALL_PREFIX}/${VIBEML_BINDIR}/vibeml")
endif()
configure_file("${VIBEML_UNIT_TEMPLATE}" "${VIBEML_UNIT_STAGING}" @ONLY)
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/user" TYPE FILE FILES "${VIBEML_UNIT_STAGING}")
