target_sources(valkka_objects PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/filecache.c
  ${CMAKE_CURRENT_LIST_DIR}/filecache_play.c
  ${CMAKE_CURRENT_LIST_DIR}/filecache_store.c
  ${CMAKE_CURRENT_LIST_DIR}/filecache_stream.c
  ${CMAKE_CURRENT_LIST_DIR}/filecache_windows.c
  ${CMAKE_CURRENT_LIST_DIR}/fsgroup.c
  ${CMAKE_CURRENT_LIST_DIR}/loader.c
  ${CMAKE_CURRENT_LIST_DIR}/manager.c
  ${CMAKE_CURRENT_LIST_DIR}/manager_fs.c
  ${CMAKE_CURRENT_LIST_DIR}/manager_map.c
  ${CMAKE_CURRENT_LIST_DIR}/manager_play.c
  ${CMAKE_CURRENT_LIST_DIR}/window.c)
