// SPDX-License-Identifier: LGPL-2.1-or-later
// Over a tile whose camera recorded nothing at the playhead: the picture left on it dimmed, and
// what it is, so that an old picture is never taken for the moment the time readout shows.
import QtQuick
import "TimeFormat.js" as TimeFormat

Rectangle {
    id: noRecording

    objectName: "tileNoRecording"
    // The mstime of the picture the tile shows; 0: it shows none.
    property real pictureTime: 0
    property real textSize: 14
    readonly property string text: pictureTime > 0
        ? qsTr("No recording · picture from %1").arg(TimeFormat.clock(pictureTime))
        : qsTr("No recording")

    color: "#b0000000"

    Column {
        anchors.centerIn: parent
        spacing: 4
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            color: "#f0c020"
            font.pixelSize: noRecording.textSize * 1.4
            font.bold: true
            text: qsTr("NO RECORDING")
        }
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            visible: noRecording.pictureTime > 0
            color: "#e0e0e0"
            font.pixelSize: noRecording.textSize
            text: qsTr("picture from %1").arg(TimeFormat.clock(noRecording.pictureTime))
        }
    }
}
