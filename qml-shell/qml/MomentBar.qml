// SPDX-License-Identifier: LGPL-2.1-or-later
// Finding a moment and the many cameras, under the transport bar: jumps back and forth by 10 s,
// 1 min and 10 min, how far behind live the playhead is, a go-to date and time field with a
// calendar of the days recorded; the wall's page with its buttons, the camera list's and the
// timeline's buttons.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "GoToTime.js" as GoToTime
import "TimeFormat.js" as TimeFormat
import ValkkaKiosk

Rectangle {
    id: bar

    objectName: "momentBar"
    property Playback playback
    property TimelineModel timelineModel
    property real now: Date.now()
    property int page: 0
    property int pages: 1
    property bool camerasShown: false
    property bool timelineCollapsed: false
    // What the go-to field last refused, "" when it went.
    property string goToError: ""

    signal pageRequested(int delta)
    signal camerasToggled()
    signal timelineToggled()

    // Every tile `ms` from the playhead (live: from now), never past now. The jump buttons and
    // the tests come here.
    function jump(ms) {
        var from = playback.live ? Date.now() : playback.position
        playback.seek(Math.min(from + ms, Date.now()))
    }
    // Every tile to the moment `text` names (GoToTime.js); false with goToError set when it
    // names none.
    function goTo(text) {
        var t = GoToTime.parse(text, Date.now())
        goToError = t.error === undefined ? "" : t.error
        if (t.error !== undefined)
            return false
        playback.seek(t.ms)
        return true
    }
    // The calendar's pick: the first recording of that day, to the millisecond (the field, which
    // shows it, reads seconds only).
    function goToDay(first) {
        goToField.text = GoToTime.format(first)
        goToError = ""
        playback.seek(first)
    }

    implicitHeight: 34
    color: "#181818"

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 6
        anchors.rightMargin: 6
        spacing: 4

        Repeater {
            model: [
                [-600000, qsTr("-10 min"), qsTr("Every tile 10 minutes back")],
                [-60000, qsTr("-1 min"), qsTr("Every tile 1 minute back")],
                [-10000, qsTr("-10 s"), qsTr("Every tile 10 seconds back")],
                [10000, qsTr("+10 s"), qsTr("Every tile 10 seconds forward")],
                [60000, qsTr("+1 min"), qsTr("Every tile 1 minute forward")],
                [600000, qsTr("+10 min"), qsTr("Every tile 10 minutes forward")]
            ]
            delegate: TransportButton {
                required property var modelData
                text: modelData[1]
                toolTipText: modelData[2]
                implicitWidth: 62
                onClicked: bar.jump(modelData[0])
            }
        }
        Text {
            objectName: "behindLive"
            visible: !bar.playback.live
            color: "#f0c020"
            font.pixelSize: 13
            text: bar.playback.live ? "" : qsTr("%1 behind live")
                                          .arg(TimeFormat.behind(bar.now, bar.playback.position))
        }
        TextField {
            id: goToField
            objectName: "goToField"
            Layout.preferredWidth: 170
            font.pixelSize: 13
            placeholderText: GoToTime.example
            placeholderTextColor: "#909090"
            onAccepted: bar.goTo(text)
            onTextEdited: bar.goToError = ""
            ToolTip.visible: hovered || bar.goToError !== ""
            ToolTip.delay: bar.goToError !== "" ? 0 : 500
            ToolTip.text: bar.goToError !== "" ? bar.goToError
                        : qsTr("Go to a date and time (local), then Enter: %1 or 14:05")
                          .arg(GoToTime.example)
            background: Rectangle {
                color: "#262626"
                border.color: bar.goToError !== "" ? "#ff5050" : "#505050"
            }
            color: "white"
        }
        TransportButton {
            text: qsTr("Calendar")
            toolTipText: qsTr("The days with recordings: pick one to go to its first  [D]")
            onClicked: bar.toggleCalendar()
        }
        Text {
            objectName: "goToError"
            visible: bar.goToError !== ""
            color: "#ff6060"
            font.pixelSize: 12
            elide: Text.ElideRight
            Layout.maximumWidth: 260
            text: bar.goToError
        }
        Item { Layout.fillWidth: true }
        TransportButton {
            visible: bar.pages > 1
            text: "<"
            toolTipText: qsTr("The previous page of tiles  [PgUp]")
            implicitWidth: 30
            onClicked: bar.pageRequested(-1)
        }
        Text {
            objectName: "pageIndicator"
            visible: bar.pages > 1
            color: "white"
            font.pixelSize: 13
            text: qsTr("Page %1/%2").arg(bar.page + 1).arg(bar.pages)
        }
        TransportButton {
            visible: bar.pages > 1
            text: ">"
            toolTipText: qsTr("The next page of tiles  [PgDn]")
            implicitWidth: 30
            onClicked: bar.pageRequested(1)
        }
        TransportButton {
            text: qsTr("Cameras")
            toolTipText: qsTr("Pick the camera of each tile on this page  [C]")
            highlighted: bar.camerasShown
            onClicked: bar.camerasToggled()
        }
        TransportButton {
            text: bar.timelineCollapsed ? qsTr("Show timeline") : qsTr("Hide timeline")
            toolTipText: qsTr("The timeline's lanes shown or hidden  [T]")
            onClicked: bar.timelineToggled()
        }
    }

    CalendarPopup {
        id: calendar
        objectName: "calendar"
        x: goToField.x
        y: -height - 4
        timelineModel: bar.timelineModel
        onDayPicked: (first) => bar.goToDay(first)
    }

    readonly property bool calendarOpen: calendar.opened
    // A click on `day` of the month the calendar shows (the tests).
    function pickCalendarDay(day) {
        return calendar.pickDay(day)
    }
    // The D key and the tests open it here.
    function toggleCalendar() {
        if (calendar.opened)
            calendar.close()
        else
            calendar.open()
    }
}
