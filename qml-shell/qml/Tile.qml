// One camera: its pictures (a VideoOutput whose sink the C++ feed fills from the core's thread)
// and the overlay. Double-click or double-tap maximises it and back.
import QtQuick
import QtMultimedia
import ValkkaKiosk

Rectangle {
    id: tile

    objectName: "tile"
    property int cameraIndex: -1
    property CameraFeed camera
    property Playback playback

    signal maximiseToggled()

    // The double-tap handler and the tests come here.
    function toggleMaximise() {
        maximiseToggled()
    }

    color: "black"
    border.color: "#303030"
    border.width: 1

    VideoOutput {
        id: video
        objectName: "tileVideo"
        anchors.fill: parent
        anchors.margins: 1
        fillMode: VideoOutput.PreserveAspectFit
    }

    Binding {
        target: tile.camera
        property: "videoSink"
        value: video.videoSink
        when: tile.camera !== null
    }
    Binding {
        target: tile.camera
        property: "displayed"
        value: tile.visible
        when: tile.camera !== null
    }

    TileOverlay {
        anchors.fill: video
        camera: tile.camera
        live: tile.playback ? tile.playback.live : true
    }

    TapHandler {
        onDoubleTapped: tile.toggleMaximise()
    }
}
