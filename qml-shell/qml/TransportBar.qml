// SPDX-License-Identifier: LGPL-2.1-or-later
// Live button, play / pause, steps, speed, and where the playhead is. Every button says what it
// does, and its key, on hover.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "TimeFormat.js" as TimeFormat
import ValkkaKiosk

Rectangle {
    id: bar

    property Playback playback
    property PlaybackGaps gaps
    property real now: Date.now()

    signal liveRequested()
    signal exportRequested()

    implicitHeight: 40
    color: "#1c1c1c"

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 6
        anchors.rightMargin: 6
        spacing: 6

        TransportButton {
            text: qsTr("LIVE")
            toolTipText: qsTr("Back to the live pictures  [L]")
            highlighted: bar.playback.live
            onClicked: bar.liveRequested()
        }
        TransportButton {
            text: bar.playback.playing && bar.playback.backwards ? qsTr("Pause") : qsTr("Reverse")
            toolTipText: bar.playback.playing && bar.playback.backwards
                         ? qsTr("Pause the backward playback  [Shift+Space]")
                         : qsTr("Play backwards from the playhead  [Shift+Space]")
            highlighted: bar.playback.playing && bar.playback.backwards
            onClicked: bar.playback.toggleBackward()
        }
        TransportButton {
            text: qsTr("Step back")
            toolTipText: qsTr("Every tile one of its frames back  [Left]")
            onClicked: bar.playback.stepBackward()
        }
        // Live, the button freezes the wall at now: it reads as what it does.
        TransportButton {
            readonly property bool forward: bar.playback.playing && !bar.playback.backwards
            text: bar.playback.live || forward ? qsTr("Pause") : qsTr("Play")
            toolTipText: bar.playback.live ? qsTr("Freeze the wall at this moment  [Space]")
                       : forward ? qsTr("Pause the playback  [Space]")
                                              : qsTr("Play from the playhead  [Space]")
            onClicked: bar.playback.togglePlay()
        }
        TransportButton {
            text: qsTr("Step forward")
            toolTipText: qsTr("Every tile one of its frames forward  [Right]")
            onClicked: bar.playback.stepForward()
        }
        TransportButton {
            text: qsTr("Real time")
            toolTipText: bar.gaps && bar.gaps.realTime
                         ? qsTr("Playing runs on through times with no recording  [G]")
                         : qsTr("Playing jumps times with no recording  [G]")
            highlighted: bar.gaps !== null && bar.gaps.realTime
            onClicked: bar.gaps.realTime = !bar.gaps.realTime
        }
        TransportButton {
            text: qsTr("Export")
            toolTipText: qsTr("Export the marked range of the cameras to files  [E]")
            onClicked: bar.exportRequested()
        }
        ComboBox {
            id: speed
            focusPolicy: Qt.NoFocus
            model: [0.25, 0.5, 1, 2, 4, 8, 16]
            currentIndex: model.indexOf(bar.playback.speed)
            displayText: currentValue + "x"
            implicitWidth: 90
            onActivated: bar.playback.speed = currentValue
            ToolTip.visible: hovered
            ToolTip.delay: 500
            ToolTip.text: qsTr("Playback speed")
        }
        Text {
            objectName: "transportReadout"
            color: bar.playback.live ? "#ff5050" : "#f0c020"
            font.pixelSize: 14
            font.bold: true
            text: bar.playback.live ? qsTr("LIVE  ") + TimeFormat.dateTime(bar.now)
                                    : qsTr("PLAYBACK  ") + TimeFormat.dateTime(bar.playback.position)
                                      + (bar.gaps && bar.gaps.allMissing ? qsTr("  NO RECORDING")
                                                                         : "")
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
