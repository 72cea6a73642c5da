// SPDX-License-Identifier: LGPL-2.1-or-later
// One camera: its pictures (a VideoOutput whose sink the C++ feed fills from the core's thread)
// and the overlay. Double-click or double-tap maximises it and back. The tile whose sound can be
// heard (the maximised one) has a speaker button when its camera has sound; a tile pointed at,
// or maximised, a snapshot button.
// Digital zoom, maximised only: the wheel zooms around the pointer (1x .. 8x), a drag pans, a
// double-click (or the 0 key, or leaving maximised) goes back to 1x. The VideoOutput is made
// larger and moved inside a clipping view: the picture stays one texture, drawn scaled.
import QtQuick
import QtQuick.Controls
import QtMultimedia
import ValkkaKiosk

Rectangle {
    id: tile

    objectName: "tile"
    property int cameraIndex: -1
    property CameraFeed camera
    property Playback playback
    property SoundOutput sound
    property PlaybackGaps gaps

    // Whether this tile fills the wall (set by the wall); zoom works only then.
    property bool maximised: false
    // The digital zoom (1 .. kMaxZoom) and where the zoomed VideoOutput sits in the view.
    property real zoom: 1
    property real panX: 0
    property real panY: 0
    readonly property real maxZoom: 8
    readonly property bool pointed: hover.hovered

    // The picture's size as decoded (pixels; the VideoOutput may be handed it scaled to the
    // tile) and its rectangle in the view at 1x (aspect kept, centred, as VideoOutput's
    // PreserveAspectFit draws it).
    readonly property size pictureSize: camera && camera.pictureSize.width > 0
                                        ? camera.pictureSize
                                        : Qt.size(video.sourceRect.width, video.sourceRect.height)
    readonly property rect fitRect: {
        const w = view.width, h = view.height
        const pw = pictureSize.width, ph = pictureSize.height
        if (pw <= 0 || ph <= 0 || w <= 0 || h <= 0)
            return Qt.rect(0, 0, w, h)
        const s = Math.min(w / pw, h / ph)
        return Qt.rect((w - pw * s) / 2, (h - ph * s) / 2, pw * s, ph * s)
    }
    // The part of the picture shown, in picture pixels, and where it is drawn (view pixels).
    readonly property rect viewRect: {
        const cx = panX + fitRect.x * zoom, cy = panY + fitRect.y * zoom
        const x0 = Math.max(0, cx), y0 = Math.max(0, cy)
        const x1 = Math.min(view.width, cx + fitRect.width * zoom)
        const y1 = Math.min(view.height, cy + fitRect.height * zoom)
        return Qt.rect(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0))
    }
    readonly property rect sourceRect: {
        const cx = panX + fitRect.x * zoom, cy = panY + fitRect.y * zoom
        const sx = fitRect.width > 0 ? pictureSize.width / (fitRect.width * zoom) : 0
        const sy = fitRect.height > 0 ? pictureSize.height / (fitRect.height * zoom) : 0
        return Qt.rect((viewRect.x - cx) * sx, (viewRect.y - cy) * sy, viewRect.width * sx,
                       viewRect.height * sy)
    }

    signal maximiseToggled()
    signal soundToggled()
    signal snapshotRequested()

    // Where the VideoOutput may sit at zoom z along one axis: the picture covers the view where
    // it is larger than the view, else it is centred.
    function clampAxis(pos, fitPos, fitLength, viewLength, z) {
        if (fitLength * z >= viewLength)
            return Math.max(viewLength - (fitPos + fitLength) * z, Math.min(-fitPos * z, pos))
        return (viewLength - fitLength * z) / 2 - fitPos * z
    }

    function setView(z, x, y) {
        zoom = z
        panX = clampAxis(x, fitRect.x, fitRect.width, view.width, z)
        panY = clampAxis(y, fitRect.y, fitRect.height, view.height, z)
    }

    // The wheel: zoom by `factor` around (px, py) of the view; the picture point there stays.
    function zoomAt(px, py, factor) {
        const z = Math.max(1, Math.min(maxZoom, zoom * factor))
        setView(z, px - (px - panX) / zoom * z, py - (py - panY) / zoom * z)
    }

    function resetZoom() {
        zoom = 1
        panX = 0
        panY = 0
    }

    onMaximisedChanged: if (!maximised) resetZoom()
    onFitRectChanged: setView(zoom, panX, panY)

    // The double-tap handler and the tests come here.
    function toggleMaximise() {
        maximiseToggled()
    }

    color: "black"
    border.color: "#303030"
    border.width: 1

    Item {
        id: view
        objectName: "tileView"
        anchors.fill: parent
        anchors.margins: 1
        clip: true

        VideoOutput {
            id: video
            objectName: "tileVideo"
            x: tile.panX
            y: tile.panY
            width: view.width * tile.zoom
            height: view.height * tile.zoom
            fillMode: VideoOutput.PreserveAspectFit
        }

        WheelHandler {
            enabled: tile.maximised
            target: null
            onWheel: (event) => tile.zoomAt(point.position.x, point.position.y,
                                             Math.pow(1.25, event.angleDelta.y / 120))
        }

        // A drag pans by the pointer's way since the press (the threshold's pixels included).
        DragHandler {
            id: panDrag
            property point startPan
            enabled: tile.maximised && tile.zoom > 1
            target: null
            onActiveChanged: if (active) startPan = Qt.point(tile.panX, tile.panY)
            onCentroidChanged: {
                if (active)
                    tile.setView(tile.zoom,
                                 startPan.x + centroid.scenePosition.x - centroid.scenePressPosition.x,
                                 startPan.y + centroid.scenePosition.y - centroid.scenePressPosition.y)
            }
        }
    }

    HoverHandler { id: hover }

    Binding {
        target: tile.camera
        property: "videoSink"
        value: video.videoSink
        when: tile.camera !== null
    }
    Binding {
        target: tile.camera
        property: "tileSize"
        value: Qt.size(view.width, view.height)
        when: tile.camera !== null
    }
    Binding {
        target: tile.camera
        property: "drawSize"
        value: Qt.size(video.width * Screen.devicePixelRatio,
                       video.height * Screen.devicePixelRatio)
        when: tile.camera !== null
    }
    Binding {
        target: tile.camera
        property: "displayed"
        value: tile.visible
        when: tile.camera !== null
    }

    TileOverlay {
        id: overlay
        anchors.fill: view
        camera: tile.camera
        live: tile.playback ? tile.playback.live : true
    }

    NoRecordingOverlay {
        anchors.fill: view
        visible: tile.gaps !== null && tile.gaps.missing[tile.cameraIndex] === true
        pictureTime: tile.camera ? tile.camera.frameTime : 0
        textSize: overlay.textSize
    }

    // Zoomed, a double-click goes back to 1x; else it maximises and back.
    TapHandler {
        onDoubleTapped: tile.zoom > 1 ? tile.resetZoom() : tile.toggleMaximise()
    }

    Rectangle {
        objectName: "tileZoom"
        anchors.horizontalCenter: view.horizontalCenter
        anchors.top: view.top
        anchors.topMargin: 8
        visible: tile.zoom > 1
        width: zoomText.implicitWidth + 12
        height: zoomText.implicitHeight + 6
        radius: 3
        color: "#b0000000"
        Text {
            id: zoomText
            objectName: "tileZoomText"
            anchors.centerIn: parent
            color: "white"
            font.pixelSize: overlay.textSize
            text: tile.zoom.toFixed(1) + "x"
        }
    }

    Rectangle {
        id: snapshotButton
        objectName: "tileSnapshotButton"
        anchors.right: view.right
        anchors.bottom: speaker.visible ? speaker.top : view.bottom
        anchors.rightMargin: 8
        anchors.bottomMargin: speaker.visible ? 6 : overlay.badgeRowHeight + 8
        width: snapshotText.implicitWidth + 16
        height: snapshotText.implicitHeight + 8
        radius: 4
        visible: tile.camera !== null && (tile.pointed || tile.maximised)
        color: snapshotArea.containsMouse ? "#d0303030" : "#b0000000"
        border.color: "#606060"
        ToolTip.visible: snapshotArea.containsMouse
        ToolTip.delay: 500
        ToolTip.text: qsTr("Save this picture as a PNG, camera name and time burned in  [S]")
        Text {
            id: snapshotText
            anchors.centerIn: parent
            color: "#c0c0c0"
            font.pixelSize: 14
            text: qsTr("SNAPSHOT  [S]")
        }
        MouseArea {
            id: snapshotArea
            anchors.fill: parent
            hoverEnabled: true
            onClicked: tile.snapshotRequested()
        }
    }

    Rectangle {
        id: speaker
        objectName: "tileSound"
        readonly property bool muted: tile.sound ? tile.sound.muted : true
        anchors.right: view.right
        anchors.bottom: view.bottom
        anchors.rightMargin: 8
        anchors.bottomMargin: overlay.badgeRowHeight + 8
        width: speakerText.implicitWidth + 16
        height: speakerText.implicitHeight + 8
        radius: 4
        visible: tile.sound !== null && tile.camera !== null && tile.camera.hasSound
                 && tile.sound.camera === tile.cameraIndex
        color: speakerArea.containsMouse ? "#d0303030" : "#b0000000"
        ToolTip.visible: speakerArea.containsMouse
        ToolTip.delay: 500
        ToolTip.text: muted ? qsTr("Play this camera's sound  [M]") : qsTr("Mute  [M]")
        border.color: muted ? "#606060" : "#40c040"
        Text {
            id: speakerText
            anchors.centerIn: parent
            color: speaker.muted ? "#c0c0c0" : "#80ff80"
            font.pixelSize: 14
            text: speaker.muted ? qsTr("SOUND OFF  [M]") : qsTr("SOUND ON  [M]")
        }
        MouseArea {
            id: speakerArea
            anchors.fill: parent
            hoverEnabled: true
            onClicked: tile.soundToggled()
        }
    }
}
