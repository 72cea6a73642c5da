// SPDX-License-Identifier: LGPL-2.1-or-later
// The kiosk window: the video wall, the transport bar and the timeline, and the keyboard.
import QtQuick
import QtQuick.Layouts
import QtQuick.Window
import ValkkaKiosk

Window {
    id: root

    required property Kiosk kiosk
    required property bool startFullscreen

    width: 1280
    height: 720
    minimumWidth: 480
    minimumHeight: 320
    visible: true
    color: "#101010"
    title: qsTr("valkka-kiosk")

    // Back to live: the L key, the LIVE button and the tests all come here.
    function goLive() {
        kiosk.playback.goLive()
        timeline.follow = true
    }

    // Sound on or off: the M key, the speaker button and the tests all come here.
    function toggleSound() {
        kiosk.sound.toggleMuted()
    }

    // The geometry the window had before full screen, to go back to.
    property rect windowedGeometry: Qt.rect(0, 0, 0, 0)

    // Without a window manager nobody honours the full-screen request: the window takes its
    // screen's geometry itself (with a window manager the same geometry is asked of it).
    function enterFullscreen() {
        if (visibility !== Window.FullScreen)
            windowedGeometry = Qt.rect(x, y, width, height)
        x = screen.virtualX
        y = screen.virtualY
        width = screen.width
        height = screen.height
        showFullScreen()
    }

    function leaveFullscreen() {
        showNormal()
        if (windowedGeometry.width > 0) {
            x = windowedGeometry.x
            y = windowedGeometry.y
            width = windowedGeometry.width
            height = windowedGeometry.height
        }
    }

    function toggleFullscreen() {
        if (visibility === Window.FullScreen)
            leaveFullscreen()
        else
            enterFullscreen()
    }

    // Where I and O mark: the playhead, or now while live.
    function markTime() {
        return kiosk.playback.live ? Date.now() : kiosk.playback.position
    }

    // The next or previous page of tiles (PgDn, PgUp, the page buttons, the tests).
    function turnPage(delta) {
        wall.maximised = -1
        wall.page = Math.max(0, Math.min(wall.pages - 1, wall.page + delta))
    }

    function setLayout(columns) {
        wall.maximised = -1
        kiosk.columns = columns
    }

    // Keys act without a first click: no window manager may be there to give the window the
    // keyboard (Qt activates it once it is mapped).
    Component.onCompleted: {
        if (startFullscreen)
            enterFullscreen()
        requestActivate()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        VideoWall {
            id: wall
            objectName: "wall"
            Layout.fillWidth: true
            Layout.fillHeight: true
            cameras: root.kiosk.cameras
            columns: root.kiosk.columns
            playback: root.kiosk.playback
            sound: root.kiosk.sound
            gaps: root.kiosk.gaps
            onSoundToggled: root.toggleSound()
            onSnapshotRequested: (camera) => root.kiosk.snapshots.take(camera)
        }

        TransportBar {
            Layout.fillWidth: true
            playback: root.kiosk.playback
            gaps: root.kiosk.gaps
            now: timeline.now
            onLiveRequested: root.goLive()
            onExportRequested: exportPanel.open()
        }

        MomentBar {
            id: momentBar
            Layout.fillWidth: true
            playback: root.kiosk.playback
            timelineModel: root.kiosk.timeline
            now: timeline.now
            page: wall.page
            pages: wall.pages
            camerasShown: cameraPanel.visible
            timelineCollapsed: timeline.collapsed
            onPageRequested: (delta) => root.turnPage(delta)
            onCamerasToggled: cameraPanel.visible = !cameraPanel.visible
            onTimelineToggled: timeline.collapsed = !timeline.collapsed
        }

        Timeline {
            id: timeline
            objectName: "timeline"
            Layout.fillWidth: true
            Layout.preferredHeight: implicitHeight
            model: root.kiosk.timeline
            playback: root.kiosk.playback
            exporter: root.kiosk.exporter
            shownCameras: allLanes ? [] : wall.pageCameras
        }
    }

    ExportPanel {
        id: exportPanel
        anchors.centerIn: parent
        exporter: root.kiosk.exporter
        cameras: root.kiosk.cameras
        // The cameras on the wall: the maximised one, else the page's.
        visibleCameras: wall.maximised >= 0 ? [wall.maximised] : wall.pageCameras
    }

    TileOrder {
        id: tileOrder
        cameras: root.kiosk.cameras
        columns: root.kiosk.columns
    }
    Binding {
        target: wall
        property: "order"
        value: tileOrder.order
    }
    CameraPanel {
        id: cameraPanel
        anchors.right: parent.right
        y: wall.y
        height: wall.height
        cameras: root.kiosk.cameras
        tileOrder: tileOrder
        page: wall.page
        capacity: wall.capacity
    }

    // What the last snapshot did: where it went, or why it did not.
    Rectangle {
        id: snapshotToast
        // The wall is the layout's (at the window's origin), not a sibling to anchor to.
        x: wall.x + (wall.width - width) / 2
        y: wall.y + wall.height - height - 48
        width: Math.min(wall.width - 40, toastText.implicitWidth + 24)
        height: toastText.implicitHeight + 12
        radius: 6
        visible: toastTimer.running
        color: root.kiosk.snapshots.failed ? "#e0a01010" : "#e0202020"
        border.color: "#808080"
        Text {
            id: toastText
            objectName: "snapshotToast"
            anchors.centerIn: parent
            width: parent.width - 24
            elide: Text.ElideMiddle
            horizontalAlignment: Text.AlignHCenter
            color: "white"
            font.pixelSize: 15
            text: root.kiosk.snapshots.message
        }
        Timer {
            id: toastTimer
            interval: root.kiosk.snapshots.failed ? 8000 : 4000
        }
        Connections {
            target: root.kiosk.snapshots
            function onFinished() { toastTimer.restart() }
        }
    }

    KeyOverlay {
        id: keyOverlay
        anchors.centerIn: parent
    }

    // The sound that can be heard is the maximised tile's (or the only tile's).
    Binding {
        target: root.kiosk.sound
        property: "camera"
        value: wall.maximised >= 0 ? wall.maximised : (root.kiosk.columns === 1 ? 0 : -1)
    }

    Shortcut { sequence: "Space"; onActivated: root.kiosk.playback.togglePlay() }
    Shortcut { sequence: "Shift+Space"; onActivated: root.kiosk.playback.toggleBackward() }
    Shortcut { sequence: "Left"; onActivated: root.kiosk.playback.stepBackward() }
    Shortcut { sequence: "Right"; onActivated: root.kiosk.playback.stepForward() }
    Shortcut { sequence: "L"; onActivated: root.goLive() }
    Shortcut { sequence: "F"; onActivated: root.toggleFullscreen() }
    Shortcut { sequence: "M"; onActivated: root.toggleSound() }
    Shortcut {
        sequence: "Escape"
        onActivated: {
            if (keyOverlay.visible)
                keyOverlay.visible = false
            else
                wall.maximised = -1
        }
    }
    Shortcut { sequence: "?"; onActivated: keyOverlay.visible = !keyOverlay.visible }
    Shortcut { sequence: "G"; onActivated: root.kiosk.gaps.realTime = !root.kiosk.gaps.realTime }
    // Export marks at the playhead (live: now).
    Shortcut { sequence: "I"; onActivated: root.kiosk.exporter.markIn = root.markTime() }
    Shortcut { sequence: "O"; onActivated: root.kiosk.exporter.markOut = root.markTime() }
    Shortcut { sequence: "E"; onActivated: exportPanel.visible ? exportPanel.visible = false
                                                               : exportPanel.open() }
    Shortcut { sequence: "PgDown"; onActivated: root.turnPage(1) }
    Shortcut { sequence: "PgUp"; onActivated: root.turnPage(-1) }
    Shortcut { sequence: "C"; onActivated: cameraPanel.visible = !cameraPanel.visible }
    Shortcut { sequence: "T"; onActivated: timeline.collapsed = !timeline.collapsed }
    Shortcut { sequence: "A"; onActivated: timeline.allLanes = !timeline.allLanes }
    Shortcut { sequence: "D"; onActivated: momentBar.toggleCalendar() }
    Shortcut { sequence: "1"; onActivated: root.setLayout(1) }
    Shortcut { sequence: "2"; onActivated: root.setLayout(2) }
    Shortcut { sequence: "3"; onActivated: root.setLayout(3) }
    Shortcut { sequence: "4"; onActivated: root.setLayout(4) }
    Shortcut { sequence: "S"; onActivated: root.kiosk.snapshots.take(wall.snapshotTarget()) }
    Shortcut { sequence: "0"; onActivated: wall.resetZoom() }
}
