// SPDX-License-Identifier: LGPL-2.1-or-later
// Every key the kiosk handles, over the wall: `?` shows it, `?` or Escape hides it. The list is
// the one Main.qml's shortcuts act on; a key added there belongs here too.
import QtQuick

Rectangle {
    id: overlay

    objectName: "keyOverlay"
    readonly property var keys: [
        ["Space", qsTr("Play / pause (live: freeze the wall at now)")],
        ["Shift+Space", qsTr("Play backwards / pause")],
        ["Left", qsTr("Step back: every tile one of its frames back")],
        ["Right", qsTr("Step forward: every tile one of its frames forward")],
        ["L", qsTr("Back to live")],
        ["F", qsTr("Full screen on / off")],
        ["M", qsTr("Sound of the maximised tile on / off")],
        ["1  2  3  4", qsTr("Layout 1, 2x2, 3x3, 4x4")],
        ["PgDn  PgUp", qsTr("The next / previous page of tiles (more cameras than tiles)")],
        ["C", qsTr("The camera list: pick the camera of each tile (kept per layout)")],
        ["T", qsTr("The timeline's lanes hidden / shown")],
        ["A", qsTr("The timeline's lanes: every camera's / the page's")],
        ["D", qsTr("The calendar: the days with recordings, a click goes to one")],
        [qsTr("Wheel"), qsTr("Over the timeline: zoom around the pointer")],
        ["Escape", qsTr("Close this list; else un-maximise the maximised tile")],
        ["?", qsTr("This list of keys")],
        ["G", qsTr("Real time: play on through times with no recording, or jump them")],
        ["I  O", qsTr("Mark the start / end of the range to export at the playhead")],
        ["E", qsTr("Export the marked range (Shift+drag on the lanes marks it too)")],
        ["S", qsTr("Snapshot of the maximised tile (or the one pointed at) to a PNG")],
        [qsTr("Wheel, drag"), qsTr("Over the maximised tile: zoom around the pointer, pan")],
        ["0", qsTr("Zoom of the maximised tile back to 1x (or double-click it)")],
        [qsTr("Double-click"), qsTr("Maximise a tile, again to return")]
    ]

    visible: false
    width: grid.implicitWidth + 48
    height: title.implicitHeight + grid.implicitHeight + 56
    radius: 8
    color: "#e0181818"
    border.color: "#606060"

    Text {
        id: title
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: parent.top
        anchors.topMargin: 16
        color: "white"
        font.pixelSize: 18
        font.bold: true
        text: qsTr("Keys")
    }

    Grid {
        id: grid
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: title.bottom
        anchors.topMargin: 16
        columns: 2
        columnSpacing: 24
        rowSpacing: 8
        Repeater {
            model: overlay.keys.length * 2
            Text {
                required property int index
                readonly property var row: overlay.keys[Math.floor(index / 2)]
                objectName: index % 2 === 0 ? "keyName" : "keyAction"
                color: index % 2 === 0 ? "#f0c020" : "white"
                font.pixelSize: 15
                font.bold: index % 2 === 0
                text: row[index % 2]
            }
        }
    }
}
