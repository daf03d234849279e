import Foundation
import ServerTestSupport
import TagTestSupport

/// A small feed in America/New_York with what CARTA lacks: a station with two platforms, blank times to
/// interpolate, a trip past midnight, frequency-based (exact_times 0) and exact (1) trips, a pickup_type 1
/// stop, a calendar_dates removal, and service across both 2026 daylight-saving changes (8 March, 1 November).
enum SyntheticFeed {
    static let files: [String: String] = [
        "agency.txt": """
            agency_id,agency_name,agency_url,agency_timezone,agency_lang
            SY,Synthetic Transit,https://transit.example.org,America/New_York,en

            """,
        "stops.txt": """
            stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,platform_code
            S1,"Central Station",35.0,-85.0,1,,
            P1,"Central Station, platform 1",35.0,-85.0,0,S1,1
            P2,"Central Station, platform 2",35.0,-85.0,0,S1,2
            A,"Elm & 1st <b>",35.01,-85.01,0,,
            B,Bridge,35.02,-85.02,0,,
            C,Campus,35.03,-85.03,0,,

            """,
        "routes.txt": """
            route_id,agency_id,route_short_name,route_long_name,route_type,route_color,route_text_color
            R1,SY,1,Yellow line,3,FFD700,FFFFFF
            R2,SY,2,Night & Frequent,3,,

            """,
        "trips.txt": """
            route_id,service_id,trip_id,trip_headsign,direction_id
            R1,WK,T1,Campus,0
            R1,WK,T2,Campus (night),0
            R2,WK,T3,Bridge,0
            R2,WK,T4,Campus express,0
            R1,WK,T5,Campus,0

            """,
        "stop_times.txt": """
            trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type,shape_dist_traveled
            T1,08:00:00,08:00:00,P1,1,0,0,0
            T1,,,A,2,0,0,5
            T1,08:20:00,08:20:00,B,3,0,0,20
            T1,08:30:00,08:30:00,C,4,0,0,30
            T2,23:50:00,23:50:00,P1,1,0,0,
            T2,24:10:00,24:10:00,A,2,0,0,
            T2,25:05:00,25:05:00,B,3,0,0,
            T2,25:20:00,25:20:00,C,4,0,0,
            T3,06:00:00,06:00:00,P2,1,0,0,
            T3,06:10:00,06:10:00,B,2,0,0,
            T3,06:20:00,06:20:00,C,3,0,0,
            T4,10:00:00,10:00:00,P2,1,0,0,
            T4,10:07:00,10:07:00,A,2,0,0,
            T4,10:15:00,10:15:00,C,3,0,0,
            T5,09:00:00,09:00:00,P1,1,0,0,
            T5,09:05:00,09:05:00,A,2,1,0,
            T5,09:10:00,09:10:00,B,3,0,0,
            T5,09:20:00,09:20:00,C,4,0,0,

            """,
        "calendar.txt": """
            service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
            WK,1,1,1,1,1,1,1,20260301,20261130

            """,
        "calendar_dates.txt": """
            service_id,date,exception_type
            WK,20260310,2

            """,
        "frequencies.txt": """
            trip_id,start_time,end_time,headway_secs,exact_times
            T3,06:00:00,09:00:00,600,0
            T4,10:00:00,11:00:00,900,1

            """,
        "feed_info.txt": """
            feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date,feed_version
            Synthetic,https://transit.example.org,en,20260301,20261130,S1

            """,
    ]

    static func zip(replacing changes: [String: String?] = [:]) throws -> URL {
        var files = files
        for (name, text) in changes { files[name] = text }
        return try makeZip(files.compactMapValues { $0 }, name: "synth.zip")
    }
}
