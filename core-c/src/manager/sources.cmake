list(APPEND VALKKA_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/fsgroup.c
  ${CMAKE_CURRENT_LIST_DIR}/fsgroup_loader.c
  ${CMAKE_CURRENT_LIST_DIR}/manager.c
  ${CMAKE_CURRENT_LIST_DIR}/manager_fs.c
  ${CMAKE_CURRENT_LIST_DIR}/manager_hooks.c
  ${CMAKE_CURRENT_LIST_DIR}/manager_map.c
  ${CMAKE_CURRENT_LIST_DIR}/manager_play.c)
