target_sources(valkka_objects PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/camera.c
  ${CMAKE_CURRENT_LIST_DIR}/decode.c
  ${CMAKE_CURRENT_LIST_DIR}/live.c
  ${CMAKE_CURRENT_LIST_DIR}/source_thread.c
  ${CMAKE_CURRENT_LIST_DIR}/stats.c
  ${CMAKE_CURRENT_LIST_DIR}/stream_time.c)
