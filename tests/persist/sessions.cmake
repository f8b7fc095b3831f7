# SPDX-License-Identifier: GPL-2.0-or-later
# Session, setlist, recorder and disk-worker tests (issue 5, "sessions" half),
# included from CMakeLists.txt. S is set there.
set(FL_PERSIST_SOURCES ${S}/persist/paths.c ${S}/persist/manifest.c ${S}/persist/session.c
    ${S}/persist/resample.c ${S}/engine/names.c)

function(fl_persist_samplerate target)
  if(SAMPLERATE_FOUND)
    target_link_libraries(${target} PRIVATE PkgConfig::SAMPLERATE)
    target_compile_definitions(${target} PRIVATE FL_HAVE_SAMPLERATE=1)
  endif()
endfunction()

fl_add_test(test_persist_paths
  SOURCES test_persist_paths.c ${S}/persist/paths.c
  LIBS fl_core
  LABELS unit persist TIMEOUT 30)

fl_add_test(test_manifest
  SOURCES test_manifest.c ${S}/persist/manifest.c ${S}/engine/names.c
  LIBS fl_core
  LABELS unit persist TIMEOUT 30)

if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_session_files.c)
  fl_add_test(test_session_files
    SOURCES test_session_files.c ${FL_PERSIST_SOURCES}
    LIBS fl_core PkgConfig::SNDFILE ${MATH_LIB}
    LABELS unit persist TIMEOUT 60)
  fl_persist_samplerate(test_session_files)
endif()

if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_session_engine.c)
  fl_add_test(test_session_engine
    SOURCES test_session_engine.c ${PROJECT_SOURCE_DIR}/tests/engine/harness.c
            ${FL_PERSIST_SOURCES} ${S}/persist/worker.c ${S}/persist/session_ctl.c
            ${S}/persist/setlist.c
    LIBS fl_engine PkgConfig::SNDFILE ${MATH_LIB}
    LABELS unit persist TIMEOUT 60)
  target_include_directories(test_session_engine PRIVATE ${PROJECT_SOURCE_DIR}/tests/engine)
  fl_persist_samplerate(test_session_engine)
endif()

if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_recorder.c)
  fl_add_test(test_recorder
    SOURCES test_recorder.c ${S}/persist/recorder.c
    LIBS fl_core PkgConfig::SNDFILE ${MATH_LIB}
    LABELS unit persist TIMEOUT 60)
endif()

# Sessions over OSC in process: bad names, the busy refusal, list, setlist,
# action names (the control plane's OSC and actions, a real engine).
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/test_session_osc.c)
  fl_add_test(test_session_osc
    SOURCES test_session_osc.c ${FL_PERSIST_SOURCES} ${S}/persist/worker.c
            ${S}/persist/session_ctl.c ${S}/persist/setlist.c ${S}/persist/recorder.c
            ${S}/control/sessions.c ${S}/control/session_osc.c ${S}/control/osc.c
            ${S}/control/osc_feedback.c ${S}/control/osc_fx.c ${S}/control/fx_ctl.c
            ${S}/control/actions.c ${S}/input/action_parse.c
    LIBS fl_engine fl_dsp PkgConfig::LIBLO PkgConfig::INIH PkgConfig::SNDFILE ${MATH_LIB}
    LABELS unit persist TIMEOUT 60)
  fl_persist_samplerate(test_session_osc)
endif()
