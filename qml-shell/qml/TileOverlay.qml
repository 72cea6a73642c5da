// SPDX-License-Identifier: LGPL-2.1-or-later
// What a tile says about its camera, along its bottom: name and the time of the picture shown
// (left), frame rate (right); and, live, when it is not streaming, its status in the middle: the
// state and the error in an operator's words, the technical line on hover, since when a camera
// that was live is offline.
import QtQuick
import QtQuick.Controls
import "TimeFormat.js" as TimeFormat
import ValkkaKiosk

Item {
    id: overlay

    property CameraFeed camera
    property bool live: true

    readonly property real textSize: Math.max(10, Math.min(16, height / 18))
    readonly property string cameraState: camera ? camera.state : ""

    // The badges' row along the bottom: the height a tile keeps clear above it.
    readonly property real badgeRowHeight: fpsBadge.height + 6

    // Text the badge's width elides to fit `maxWidth`. Opaque and square: the window is drawn
    // anew for every beat of pictures, and on a machine drawing in software (Mesa llvmpipe) the
    // 48 translucent rounded badges of a 4x4 wall cost more than drawing the 16 pictures under
    // them (bench/wall/README.md).
    component Badge: Rectangle {
        property alias text: label.text
        property alias textColor: label.color
        property real maxWidth: overlay.width
        readonly property bool elided: label.truncated
        width: Math.min(label.implicitWidth, maxWidth - 10) + 10
        height: label.implicitHeight + 4
        color: "#202020"
        Text {
            id: label
            anchors.centerIn: parent
            width: Math.min(implicitWidth, parent.maxWidth - 10)
            elide: Text.ElideRight
            color: "white"
            font.pixelSize: overlay.textSize
        }
    }

    // Along the bottom, not the top: cameras burn their own name and time into the picture's top
    // corners, and a badge there would cover them.
    Row {
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: 6
        spacing: 6

        Badge {
            id: nameBadge
            objectName: "tileName"
            maxWidth: Math.max(40, overlay.width - fpsBadge.width - timeBadge.width - 30)
            text: overlay.camera ? overlay.camera.name : ""
            HoverHandler { id: nameHover }
            ToolTip.visible: nameHover.hovered && nameBadge.elided
            ToolTip.text: text
        }

        Badge {
            id: timeBadge
            objectName: "tileTime"
            visible: overlay.camera !== null && overlay.camera.frameTime > 0
            textColor: overlay.live ? "white" : "#f0c020"
            text: overlay.camera ? (overlay.live ? "" : "PLAYBACK ")
                                   + TimeFormat.clock(overlay.camera.frameTime) : ""
        }
    }

    Badge {
        id: fpsBadge
        objectName: "tileFps"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 6
        // Live: the camera's rate; in playback the pictures the tile shows a second.
        text: overlay.camera ? (overlay.live ? overlay.camera.fps : overlay.camera.shownFps)
                               .toFixed(1) + " fps" : ""
    }

    // The state, and for RECONNECTING / STALLED the words below it (FAILED says them inline).
    Rectangle {
        id: statusBox
        anchors.centerIn: parent
        width: Math.min(parent.width - 12,
                        Math.max(status.implicitWidth, reason.visible ? reason.implicitWidth : 0,
                                 offline.visible ? offline.implicitWidth : 0) + 20)
        height: status.implicitHeight + (reason.visible ? reason.implicitHeight + 4 : 0)
                + (offline.visible ? offline.implicitHeight + 4 : 0) + 10
        radius: 4
        // Live only: over a recorded picture, a camera's state now (CONNECTING, STALLED) read as
        // the playback's.
        visible: overlay.live && overlay.camera !== null && overlay.camera.statusText !== ""
        color: overlay.cameraState === "failed" || overlay.cameraState === "recorder_stopped"
               ? "#d0a01010"
             : overlay.cameraState === "reconnecting" || overlay.cameraState === "stalled" ? "#d0b06000"
             : "#c0202020"
        HoverHandler { id: statusHover }
        ToolTip.visible: statusHover.hovered && overlay.camera !== null
                         && overlay.camera.reason !== ""
        ToolTip.text: overlay.camera ? overlay.camera.reason : ""
        ToolTip.delay: 300
        Column {
            anchors.centerIn: parent
            spacing: 4
            Text {
                id: status
                anchors.horizontalCenter: parent.horizontalCenter
                width: Math.min(implicitWidth, overlay.width - 32)
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                maximumLineCount: 3
                elide: Text.ElideRight
                color: "white"
                font.pixelSize: overlay.textSize * 1.2
                font.bold: true
                text: overlay.camera ? overlay.camera.statusText : ""
            }
            Text {
                id: reason
                anchors.horizontalCenter: parent.horizontalCenter
                width: Math.min(implicitWidth, overlay.width - 32)
                visible: text !== "" && (overlay.cameraState === "reconnecting" || overlay.cameraState === "stalled")
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                maximumLineCount: 2
                elide: Text.ElideRight
                color: "white"
                font.pixelSize: overlay.textSize * 0.9
                text: !overlay.camera ? "" : overlay.camera.words !== "" ? overlay.camera.words
                                                                           : overlay.camera.reason
            }
            Text {
                id: offline
                objectName: "tileOffline"
                anchors.horizontalCenter: parent.horizontalCenter
                visible: overlay.camera !== null && overlay.camera.offlineSince > 0
                color: "white"
                font.pixelSize: overlay.textSize * 0.9
                text: overlay.camera ? qsTr("offline since %1")
                                       .arg(TimeFormat.hoursMinutes(overlay.camera.offlineSince))
                                     : ""
            }
        }
    }
}
