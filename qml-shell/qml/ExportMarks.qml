// SPDX-License-Identifier: LGPL-2.1-or-later
// The export range on the timeline's lanes: drawn between the in and out marks, and marked by a
// drag with Shift held (a plain press goes on to the lanes below: a seek).
import QtQuick
import ValkkaKiosk

Item {
    id: marks

    property WallExport exporter
    // The timeline's view, and its x of a time and back (in the timeline's coordinates).
    property real labelWidth: 0
    property var xForTime
    property var timeAt

    readonly property bool marked: exporter !== null && exporter.markIn > 0
                                   && exporter.markOut > exporter.markIn

    Rectangle {
        readonly property real inX: marks.marked
                                    ? marks.xForTime(marks.exporter.markIn) - marks.labelWidth : 0
        readonly property real outX: marks.marked
                                     ? marks.xForTime(marks.exporter.markOut) - marks.labelWidth : 0
        objectName: "exportRange"
        visible: marks.marked && outX >= 0 && inX <= marks.width
        x: Math.max(0, inX)
        width: Math.max(2, Math.min(marks.width, outX) - x)
        height: marks.height
        color: "#404080ff"
        border.color: "#8080ff"
    }

    MouseArea {
        property real startTime: 0
        anchors.fill: parent
        acceptedButtons: Qt.LeftButton
        onPressed: (mouse) => {
            if (!(mouse.modifiers & Qt.ShiftModifier) || !marks.exporter) {
                mouse.accepted = false
                return
            }
            startTime = Math.min(marks.timeAt(mouse.x + marks.labelWidth), Date.now())
            marks.exporter.markIn = startTime
            marks.exporter.markOut = startTime
        }
        onPositionChanged: (mouse) => {
            var t = Math.min(marks.timeAt(mouse.x + marks.labelWidth), Date.now())
            marks.exporter.markIn = Math.min(startTime, t)
            marks.exporter.markOut = Math.max(startTime, t)
        }
    }
}
