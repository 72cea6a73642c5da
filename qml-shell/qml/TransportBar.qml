// SPDX-License-Identifier: LGPL-2.1-or-later
// Live button, play / pause, step, speed, and where the playhead is.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "TimeFormat.js" as TimeFormat
import ValkkaKiosk

Rectangle {
    id: bar

    property Playback playback
    property real now: Date.now()

    signal liveRequested()

    implicitHeight: 40
    color: "#1c1c1c"

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 6
        anchors.rightMargin: 6
        spacing: 6

        Button {
            text: qsTr("LIVE")
            highlighted: bar.playback.live
            focusPolicy: Qt.NoFocus
            onClicked: bar.liveRequested()
        }
        Button {
            text: qsTr("Back")
            focusPolicy: Qt.NoFocus
            onClicked: bar.playback.stepBackward()
        }
        Button {
            text: bar.playback.playing ? qsTr("Pause") : qsTr("Play")
            focusPolicy: Qt.NoFocus
            onClicked: bar.playback.togglePlay()
        }
        Button {
            text: qsTr("Step")
            focusPolicy: Qt.NoFocus
            onClicked: bar.playback.stepForward()
        }
        ComboBox {
            id: speed
            focusPolicy: Qt.NoFocus
            model: [0.25, 0.5, 1, 2, 4, 8, 16]
            currentIndex: model.indexOf(bar.playback.speed)
            displayText: currentValue + "x"
            implicitWidth: 90
            onActivated: bar.playback.speed = currentValue
        }
        Text {
            objectName: "transportReadout"
            color: bar.playback.live ? "#ff5050" : "#f0c020"
            font.pixelSize: 14
            font.bold: true
            text: bar.playback.live ? qsTr("LIVE  ") + TimeFormat.dateTime(bar.now)
                                    : qsTr("PLAYBACK  ") + TimeFormat.dateTime(bar.playback.position)
        }
        Item { Layout.fillWidth: true }
        Text {
            color: "#f0a040"
            font.pixelSize: 13
            elide: Text.ElideRight
            Layout.maximumWidth: bar.width / 2
            text: bar.playback.message
        }
    }
}
