// SPDX-License-Identifier: LGPL-2.1-or-later
// Over the whole timeline (axis, lanes and names): the time under the pointer in a readout that
// follows it, so "2 minutes ago" is read off rather than guessed; and the wheel, which zooms
// around the pointer wherever it turns (the lanes' own wheel only reached the lanes).
import QtQuick
import "TimeFormat.js" as TimeFormat

Item {
    id: pointer

    // The Timeline: its timeAt, wheelAt and labelWidth.
    required property Item view

    readonly property real pointerX: hover.point.position.x
    readonly property bool overTrack: hover.hovered && pointerX >= view.labelWidth
    readonly property real time: view.timeAt(pointerX)

    HoverHandler {
        id: hover
    }

    WheelHandler {
        target: null
        onWheel: (event) => pointer.view.wheelAt(event.angleDelta.x, event.angleDelta.y,
                                                 point.position.x)
    }

    // A hairline at the pointer and its time above the axis, kept inside the timeline.
    Rectangle {
        visible: pointer.overTrack
        x: pointer.pointerX
        width: 1
        height: pointer.height
        color: "#80ffffff"
    }
    Rectangle {
        visible: pointer.overTrack
        x: Math.max(pointer.view.labelWidth,
                    Math.min(pointer.width - width, pointer.pointerX - width / 2))
        y: 1
        width: readout.implicitWidth + 8
        height: readout.implicitHeight + 2
        radius: 3
        color: "#e0303030"
        border.color: "#a0a0a0"

        Text {
            id: readout
            objectName: "pointerTime"
            anchors.centerIn: parent
            color: "white"
            font.pixelSize: 11
            text: pointer.overTrack ? TimeFormat.dayClock(pointer.time) : ""
        }
    }
}
