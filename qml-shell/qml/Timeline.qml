// SPDX-License-Identifier: LGPL-2.1-or-later
// The timeline: a time axis and one lane per camera with its recorded ranges (gaps stay
// empty), and the playhead. Drag on the lanes to scrub every tile (release: seek); wheel, pinch to
// zoom (days down to seconds); drag the axis to pan. While `follow` is set the view keeps the
// playhead in sight (in live mode: "now" at the right edge). The lanes shown are the page's
// cameras' (shownCameras); past maxLanes of them they scroll; `collapsed` hides them.
import QtQuick
import QtQuick.Controls
import ValkkaKiosk

Rectangle {
    id: timeline

    property TimelineModel model
    property Playback playback
    property WallExport exporter

    property real now: Date.now()
    property real span: 10 * 60 * 1000
    property real viewEnd: now + span * 0.05
    property bool follow: true

    readonly property real viewStart: viewEnd - span
    readonly property real playhead: playback && !playback.live ? playback.position : now
    readonly property int labelWidth: 110
    readonly property real trackWidth: Math.max(1, width - labelWidth)
    readonly property real minSpan: 5 * 1000
    readonly property real maxSpan: 14 * 24 * 3600 * 1000
    readonly property int laneHeight: 16
    property bool collapsed: false
    // The cameras (indexes) whose lanes are shown; empty: every camera's.
    property var shownCameras: []
    // Every camera's lane instead of the page's (the A key).
    property bool allLanes: false
    readonly property int maxLanes: 8

    implicitHeight: axis.height + laneView.height + 6
    color: "#141414"

    // x (in this item) of time t, and back.
    function xForTime(t) {
        return labelWidth + (t - viewStart) / span * trackWidth
    }
    function timeAt(x) {
        return viewStart + (x - labelWidth) / trackWidth * span
    }
    // A click, or the release of a drag, at x on the lanes: every tile seeks to that time (not
    // past now). Returns it.
    function pressAt(x) {
        var t = Math.min(timeAt(x), Date.now())
        playback.seek(t)
        return t
    }
    // A press or a move of a drag at x: every tile scrubs there (its keyframe: quick, not exact;
    // the release seeks). Returns the time.
    function scrubAt(x) {
        var t = Math.min(timeAt(x), Date.now())
        playback.scrub(t)
        return t
    }
    // Zoom by `factor` (>1 out, <1 in) keeping the time under anchorX where it is; live and
    // following, "now" keeps its place at the right edge instead. A playhead the zoom puts where
    // following would move the view (keepPlayheadInView) stops the following: the operator's
    // zoom wins over the playhead.
    function zoom(factor, anchorX) {
        var next = Math.max(minSpan, Math.min(maxSpan, span * factor))
        var pinned = follow && (!playback || playback.live)
        var anchor = pinned ? playhead : timeAt(anchorX)
        viewEnd = anchor + (viewEnd - anchor) * next / span
        span = next
        if (!pinned && (playhead < viewStart + span * 0.05 || playhead > viewEnd - span * 0.05))
            follow = false
    }
    function pan(dx) {
        follow = false
        viewEnd -= dx / trackWidth * span
    }
    // A wheel turn (angle deltas, 120 a notch) at x: sideways pans a tenth of the view a notch,
    // else each notch zooms by 1.25 (away from the user: in).
    function wheelAt(dx, dy, x) {
        if (dx !== 0 && Math.abs(dx) > Math.abs(dy))
            pan(dx / 120 * trackWidth / 10)
        else if (dy !== 0)
            zoom(Math.pow(1.25, -dy / 120), x)
    }
    function keepPlayheadInView() {
        if (!playback || playback.live) {
            viewEnd = now + span * 0.05
        } else if (playhead < viewStart + span * 0.05 || playhead > viewEnd - span * 0.05) {
            viewEnd = playhead + span * 0.5
        }
    }

    function tick() {
        timeline.now = Date.now()
        if (timeline.follow)
            timeline.keepPlayheadInView()
    }
    // The model's clock falls on the wall's beat, so the view moves in the frame of the tiles'
    // new pictures instead of a drawing of its own.
    Connections {
        target: timeline.model
        function onNowTick() { timeline.tick() }
    }
    Timer {
        interval: 200
        running: !timeline.model
        repeat: true
        onTriggered: timeline.tick()
    }

    TimelineAxis {
        id: axis
        objectName: "timelineAxis"
        x: timeline.labelWidth
        width: timeline.trackWidth
        viewStart: timeline.viewStart
        span: timeline.span

        MouseArea {
            property real lastX: 0
            anchors.fill: parent
            cursorShape: Qt.SizeHorCursor
            onPressed: (mouse) => lastX = mouse.x
            onPositionChanged: (mouse) => {
                timeline.pan(mouse.x - lastX)
                lastX = mouse.x
            }
        }
    }

    Flickable {
        id: laneView
        anchors.top: axis.bottom
        anchors.topMargin: 3
        width: parent.width
        height: timeline.collapsed ? 0
                                   : Math.min(lanes.height, timeline.maxLanes * timeline.laneHeight)
        visible: !timeline.collapsed
        contentHeight: lanes.height
        interactive: false
        clip: true
        // In the names' column: the track's mouse seeks.
        ScrollBar.vertical: ScrollBar {
            objectName: "laneScroll"
            parent: timeline
            x: timeline.labelWidth - width
            y: laneView.y
            height: laneView.height
            policy: lanes.height > laneView.height ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff
        }

        Column {
            id: lanes
            width: laneView.width

            Repeater {
                model: timeline.model
                delegate: TimelineLane {
                    required property int index
                    required property string name
                    required property var ranges
                    objectName: "timelineLane"
                    visible: timeline.shownCameras.length === 0
                             || timeline.shownCameras.indexOf(index) >= 0
                    width: lanes.width
                    height: timeline.laneHeight
                    laneName: name
                    laneRanges: ranges
                    labelWidth: timeline.labelWidth
                    viewStart: timeline.viewStart
                    span: timeline.span
                    trackWidth: timeline.trackWidth
                }
            }
        }
    }

    MouseArea {
        objectName: "timelineTrack"
        anchors.fill: laneView
        anchors.leftMargin: timeline.labelWidth
        onPressed: (mouse) => timeline.scrubAt(mouse.x + timeline.labelWidth)
        onPositionChanged: (mouse) => {
            if (pressed)
                timeline.scrubAt(mouse.x + timeline.labelWidth)
        }
        onReleased: (mouse) => timeline.pressAt(mouse.x + timeline.labelWidth)
        onWheel: (wheel) => timeline.wheelAt(wheel.angleDelta.x, wheel.angleDelta.y,
                                             wheel.x + timeline.labelWidth)
    }

    // Above the lanes' own mouse: it takes only a drag with Shift held.
    ExportMarks {
        anchors.fill: laneView
        anchors.leftMargin: timeline.labelWidth
        exporter: timeline.exporter
        labelWidth: timeline.labelWidth
        xForTime: timeline.xForTime
        timeAt: timeline.timeAt
    }

    PinchHandler {
        property real startSpan: 0
        target: null
        onActiveChanged: if (active) startSpan = timeline.span
        onActiveScaleChanged: {
            if (active && activeScale > 0)
                timeline.zoom(startSpan / activeScale / timeline.span, centroid.position.x)
        }
    }

    // The time under the pointer, and the wheel's zoom anywhere on the timeline.
    TimelinePointer {
        anchors.fill: parent
        view: timeline
    }

    // The playhead: red while live (now), amber in playback.
    Rectangle {
        visible: timeline.playhead >= timeline.viewStart && timeline.playhead <= timeline.viewEnd
        x: timeline.xForTime(timeline.playhead) - 1
        y: 0
        width: 2
        height: timeline.height
        color: timeline.playback && !timeline.playback.live ? "#f0c020" : "#ff4040"
    }
}
