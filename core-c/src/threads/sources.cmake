list(APPEND VALKKA_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/fs_reader.c
  ${CMAKE_CURRENT_LIST_DIR}/fs_writer.c
  ${CMAKE_CURRENT_LIST_DIR}/filecache.c
  ${CMAKE_CURRENT_LIST_DIR}/filecache_play.c
  ${CMAKE_CURRENT_LIST_DIR}/filecache_store.c
  ${CMAKE_CURRENT_LIST_DIR}/filecache_stream.c
  ${CMAKE_CURRENT_LIST_DIR}/live.c
  ${CMAKE_CURRENT_LIST_DIR}/live_camera.c
  ${CMAKE_CURRENT_LIST_DIR}/live_decode.c
  ${CMAKE_CURRENT_LIST_DIR}/live_stats.c
  ${CMAKE_CURRENT_LIST_DIR}/source_thread.c
  ${CMAKE_CURRENT_LIST_DIR}/stream_time.c)
