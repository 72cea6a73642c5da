// SPDX-License-Identifier: LGPL-2.1-or-later
// One camera: its pictures (a VideoOutput whose sink the C++ feed fills from the core's thread)
// and the overlay. Double-click or double-tap maximises it and back. The tile whose sound can be
// heard (the maximised one) has a speaker button when its camera has sound.
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

    signal maximiseToggled()
    signal soundToggled()

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
        property: "tileSize"
        value: Qt.size(video.width, video.height)
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
        anchors.fill: video
        camera: tile.camera
        live: tile.playback ? tile.playback.live : true
    }

    NoRecordingOverlay {
        anchors.fill: video
        visible: tile.gaps !== null && tile.gaps.missing[tile.cameraIndex] === true
        pictureTime: tile.camera ? tile.camera.frameTime : 0
        textSize: overlay.textSize
    }

    TapHandler {
        onDoubleTapped: tile.toggleMaximise()
    }

    Rectangle {
        id: speaker
        objectName: "tileSound"
        readonly property bool muted: tile.sound ? tile.sound.muted : true
        anchors.right: video.right
        anchors.bottom: video.bottom
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
