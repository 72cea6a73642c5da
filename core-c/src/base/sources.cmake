target_sources(valkka_objects PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/errno_map.c
  ${CMAKE_CURRENT_LIST_DIR}/error.c
  ${CMAKE_CURRENT_LIST_DIR}/frame.c
  ${CMAKE_CURRENT_LIST_DIR}/log.c
  ${CMAKE_CURRENT_LIST_DIR}/url_redact.c
  ${CMAKE_CURRENT_LIST_DIR}/version.c)
