//! The Vietnamese wording of the sample: support contents (one set of phrases per activity, so
//! a reader can classify the activity from the text), product names per sector, beneficiary
//! names and implementing units. Phrases are chosen so that each activity's keywords appear in
//! its own phrases only; the README lists them for the people who write classifiers.

/// Canonical activity codes, in the order of `clean/funding.parquet`'s vocabulary.
pub const ACTIVITIES: &[&str] = crate::contract::vocab::Activity::NAMES;

/// Relative frequency of each activity among ordinary grants (same order as `ACTIVITIES`).
pub const ACTIVITY_WEIGHTS: [f64; 9] = [0.28, 0.26, 0.15, 0.06, 0.08, 0.05, 0.04, 0.05, 0.03];

/// Content templates per activity; `{p}` is replaced by a product of the grant's sector.
pub const TEMPLATES: [(&str, &[&str]); 9] = [
    (
        "demonstration",
        &[
            "Xây dựng mô hình trình diễn kỹ thuật {p}",
            "Hỗ trợ xây dựng mô hình trình diễn để phổ biến công nghệ mới trong {p}",
        ],
    ),
    (
        "machinery",
        &[
            "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào {p}",
            "Hỗ trợ ứng dụng máy móc, thiết bị hiện đại trong {p}",
        ],
    ),
    (
        "training",
        &[
            "Đào tạo nghề, truyền nghề {p}",
            "Đào tạo nghề {p} cho lao động nông thôn",
        ],
    ),
    (
        "management",
        &[
            "Nâng cao năng lực quản lý cho cơ sở {p}",
            "Nâng cao năng lực quản lý doanh nghiệp công nghiệp nông thôn ngành {p}",
        ],
    ),
    (
        "trade_promotion",
        &[
            "Hỗ trợ tham gia hội chợ triển lãm hàng công nghiệp nông thôn tiêu biểu ({p})",
            "Hỗ trợ tham gia hội chợ, triển lãm trong nước sản phẩm {p}",
        ],
    ),
    (
        "consulting",
        &[
            "Tư vấn lập dự án đầu tư, đổi mới công nghệ {p}",
            "Tư vấn phát triển sản phẩm, thiết kế mẫu mã {p}",
        ],
    ),
    (
        "conference",
        &[
            "Tổ chức hội nghị, hội thảo chuyên đề phát triển {p}",
            "Tổ chức hội thảo chuyên đề về {p}",
        ],
    ),
    (
        "information",
        &[
            "Thông tin tuyên truyền về hoạt động khuyến công ({p})",
            "Thông tin tuyên truyền, xây dựng phóng sự về {p}",
        ],
    ),
    (
        "other",
        &[
            "Hỗ trợ sửa chữa, nâng cấp hệ thống xử lý ô nhiễm môi trường tại cơ sở {p}",
            "Hỗ trợ lãi suất vốn vay đầu tư cơ sở {p}",
        ],
    ),
];

/// The content of the pilot project (a combined demonstration project with training).
pub const PILOT_TEMPLATE: &str =
    "Đề án thí điểm: xây dựng mô hình trình diễn kỹ thuật {p} gắn với đào tạo lao động";

/// Keywords that identify each activity in a content text (lower case, NFC). Every phrase
/// above contains keywords of its own activity and of no other; `other` has none.
pub const KEYWORDS: [(&str, &[&str]); 8] = [
    ("demonstration", &["mô hình trình diễn"]),
    ("machinery", &["máy móc thiết bị", "máy móc, thiết bị"]),
    ("training", &["đào tạo nghề", "truyền nghề"]),
    ("management", &["năng lực quản lý"]),
    ("trade_promotion", &["hội chợ"]),
    ("consulting", &["tư vấn"]),
    ("conference", &["hội nghị", "hội thảo"]),
    ("information", &["thông tin tuyên truyền"]),
];

/// Products per sector, used in contents ("chế biến hạt điều" for sector 10, …).
pub fn products(sector: &str) -> &'static [&'static str] {
    match sector {
        "10" => &[
            "chế biến hạt điều",
            "chế biến nông sản",
            "chế biến thủy sản",
            "sản xuất bún, bánh phở",
        ],
        "11" => &["sản xuất rượu truyền thống", "sản xuất nước uống đóng chai"],
        "13" => &["dệt thổ cẩm", "dệt chiếu cói"],
        "14" => &["may mặc", "may trang phục xuất khẩu"],
        "15" => &["sản xuất giày dép", "thuộc da và sản xuất đồ da"],
        "16" => &["chế biến gỗ", "sản xuất hàng mây tre đan"],
        "17" => &["sản xuất giấy dó", "sản xuất bao bì giấy"],
        "18" => &["in bao bì, nhãn mác"],
        "20" => &["sản xuất phân bón hữu cơ vi sinh", "chưng cất tinh dầu"],
        "22" => &["sản xuất sản phẩm nhựa", "sơ chế mủ cao su"],
        "23" => &["sản xuất gạch không nung", "sản xuất gốm sứ"],
        "24" => &["đúc đồng", "luyện và đúc kim loại"],
        "25" => &["rèn, gò kim loại", "sản xuất dao kéo, nông cụ cầm tay"],
        "26" => &["lắp ráp linh kiện điện tử"],
        "27" => &["sản xuất thiết bị điện dân dụng"],
        "28" => &["chế tạo máy nông nghiệp", "chế tạo máy chế biến nông sản"],
        "29" => &["sản xuất phụ tùng xe có động cơ"],
        "31" => &["sản xuất đồ gỗ nội thất", "sản xuất giường, tủ, bàn, ghế"],
        "32" => &[
            "sản xuất hàng thủ công mỹ nghệ",
            "sản xuất đồ chơi, dụng cụ thể thao",
        ],
        "33" => &["sửa chữa, bảo dưỡng máy nông nghiệp"],
        _ => &["sản xuất công nghiệp nông thôn"],
    }
}

/// The product of the pilot project (Bình Phước's cashew processing).
pub const PILOT_PRODUCT: &str = "chế biến hạt điều";

pub const BENEFICIARY_TYPES: [&str; 6] = [
    "Công ty TNHH",
    "Công ty Cổ phần",
    "Hợp tác xã",
    "Cơ sở sản xuất",
    "Hộ kinh doanh",
    "Doanh nghiệp tư nhân",
];

pub const BENEFICIARY_NAMES: [&str; 30] = [
    "An Phát",
    "Minh Long",
    "Thành Đạt",
    "Hưng Thịnh",
    "Phú Quý",
    "Tân Tiến",
    "Đại Thành",
    "Hoàng Gia",
    "Việt Hưng",
    "Hồng Phúc",
    "Kim Ngân",
    "Thiên Ân",
    "Nam Việt",
    "Bảo Châu",
    "Phước Lộc",
    "Trường Sơn",
    "Đông Á",
    "Quang Minh",
    "Hải Đăng",
    "Sao Mai",
    "Thanh Bình",
    "Ngọc Anh",
    "Vạn Phúc",
    "Tiến Thành",
    "Lộc Phát",
    "Đức Tín",
    "Hòa Hiệp",
    "Mỹ Hưng",
    "Gia Bảo",
    "Thái Sơn",
];

/// The regional centre of the Agency for Regional Industry (I north, II centre, III south) that
/// implements national projects in a GSO region.
pub fn regional_centre(region_id: u8) -> &'static str {
    match region_id {
        1 | 2 => "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp I",
        3 | 4 => "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp II",
        _ => "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp III",
    }
}

/// The activity whose keywords a text contains, `other` when none; `None` when keywords of two
/// activities appear (an ambiguous phrase, which the sample must never produce).
pub fn classify(text: &str) -> Option<&'static str> {
    let lower = crate::text::clean(text).to_lowercase();
    let hits: Vec<&'static str> = KEYWORDS
        .iter()
        .filter(|(_, kws)| kws.iter().any(|k| lower.contains(k)))
        .map(|(a, _)| *a)
        .collect();
    match hits.as_slice() {
        [] => Some("other"),
        [one] => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_names_its_own_activity_only() {
        let sectors = crate::sample::SECTORS;
        for (activity, templates) in TEMPLATES {
            for t in templates {
                for s in sectors {
                    for p in products(s) {
                        let text = t.replace("{p}", p);
                        assert_eq!(classify(&text), Some(activity), "{text}");
                    }
                }
            }
        }
        let pilot = PILOT_TEMPLATE.replace("{p}", PILOT_PRODUCT);
        assert_eq!(classify(&pilot), Some("demonstration"));
        // Beneficiary names end up in project titles; none may carry an activity keyword.
        for n in BENEFICIARY_TYPES.iter().chain(BENEFICIARY_NAMES.iter()) {
            assert_eq!(classify(n), Some("other"), "{n}");
        }
        assert_eq!(ACTIVITIES.len(), TEMPLATES.len());
        assert!((ACTIVITY_WEIGHTS.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}
