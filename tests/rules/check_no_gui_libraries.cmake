# SPDX-License-Identifier: MIT
# cmake -DBINARY=path -P check_no_gui_libraries.cmake
# Fails when the binary loads a Qt GUI library: `mlwb` (and later `mlwb-agent`) run on servers
# and in CI with no display libraries installed.
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND ldd ${BINARY} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ldd ${BINARY} failed (${rc}): ${err}")
endif()
if(NOT out MATCHES "libQt6Core")
  message(FATAL_ERROR "ldd ${BINARY} lists no libQt6Core: not the binary expected\n${out}")
endif()
string(REGEX MATCHALL "libQt6(Gui|Widgets|Charts|OpenGL|OpenGLWidgets|Svg|SvgWidgets|PrintSupport|XcbQpa)[^ ]*" gui "${out}")
if(gui)
  list(REMOVE_DUPLICATES gui)
  message(FATAL_ERROR "${BINARY} loads Qt GUI libraries: ${gui}")
endif()
message(STATUS "${BINARY}: no Qt GUI library")
