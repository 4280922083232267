# The browser build: Dear ImGui (from IMGUI_DIR), the UI library and the web shell.
if(NOT EXISTS "${IMGUI_DIR}/imgui.cpp")
  message(FATAL_ERROR "Dear ImGui not found in IMGUI_DIR='${IMGUI_DIR}': run ./sihui deps (or set IMGUI_DIR).")
endif()

add_library(imgui STATIC
  ${IMGUI_DIR}/imgui.cpp ${IMGUI_DIR}/imgui_draw.cpp ${IMGUI_DIR}/imgui_tables.cpp
  ${IMGUI_DIR}/imgui_widgets.cpp ${IMGUI_DIR}/misc/cpp/imgui_stdlib.cpp
  ${IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${IMGUI_DIR})
target_compile_definitions(imgui PUBLIC
  IMGUI_ENABLE_TEST_ENGINE            # item hooks: the item table behind sihui.items()
  IMGUI_IMPL_OPENGL_ES3               # WebGL2
  ImDrawIdx=unsigned\ int             # 32-bit indices for big tables and maps
  IMGUI_DISABLE_OBSOLETE_FUNCTIONS
  IMGUI_DISABLE_DEFAULT_SHELL_FUNCTIONS)

file(GLOB SIHUI_UI_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/ui/*.cpp)
add_library(sihui_ui STATIC ${SIHUI_UI_SOURCES})
target_link_libraries(sihui_ui PUBLIC imgui sihui_core sihui_store sihui_sync PRIVATE sihui_warnings)

file(GLOB SIHUI_WEB_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/web/*.cpp)
add_executable(sihui ${SIHUI_WEB_SOURCES})
target_include_directories(sihui PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(sihui PRIVATE sihui_ui)
set(SIHUI_EXPORTS "_main,_sihui_resize,_sihui_pointer,_sihui_wheel,_sihui_key,_sihui_text,_sihui_focus,_sihui_post,_sihui_wake,_sihui_act,_sihui_export_all,_sihui_import_file,_sihui_hit_textbox,_sihui_items_json,_sihui_mirror_json,_sihui_mirror_changes,_sihui_a11y_focus,_sihui_a11y_skip,_sihui_query_json,_sihui_storage_loaded,_sihui_became_writer,_sihui_flush_done,_sihui_flush_retry,_sihui_flush_now,_sihui_http_done,_sihui_tick,_malloc,_free")
target_link_options(sihui PRIVATE
  -Oz  # binaryen at the final link: ~8.5 KB gzip smaller than -Os (the first-frame budget); the last -O wins
  -sUSE_GLFW=3 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
  -lidbfs.js -sFORCE_FILESYSTEM=1
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=33554432
  -sENVIRONMENT=web
  "-sEXPORTED_FUNCTIONS=[${SIHUI_EXPORTS}]"
  "-sEXPORTED_RUNTIME_METHODS=[ccall,UTF8ToString,FS,addRunDependency,removeRunDependency]"
  "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/shell/sihui-pre.js"
  "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/shell/sihui-a11y.js"
  "SHELL:--pre-js ${PROJECT_SOURCE_DIR}/shell/sihui-photos.js"
  "SHELL:--embed-file ${PROJECT_SOURCE_DIR}/assets/lang@/assets/lang"
  "SHELL:--embed-file ${PROJECT_SOURCE_DIR}/assets/schema@/assets/schema")
# The embedded files too: a changed translation must relink (--embed-file is not seen by the build tool).
file(GLOB SIHUI_EMBEDDED CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/assets/lang/* ${PROJECT_SOURCE_DIR}/assets/schema/*)
set_target_properties(sihui PROPERTIES SUFFIX ".js"
  LINK_DEPENDS "${PROJECT_SOURCE_DIR}/shell/sihui-pre.js;${PROJECT_SOURCE_DIR}/shell/sihui-a11y.js;${PROJECT_SOURCE_DIR}/shell/sihui-photos.js;${SIHUI_EMBEDDED}")
