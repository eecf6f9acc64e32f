//! A small authoritative DNS server on loopback (UDP), serving the records a test publishes.
//! Names it knows nothing about answer NXDOMAIN.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use hickory_proto::op::{Message, ResponseCode};
use hickory_proto::rr::rdata::{MX, TXT};
use hickory_proto::rr::{Name, RData, Record};
use tokio::net::UdpSocket;

#[derive(Clone, Default)]
pub struct DnsServer {
    records: Arc<Mutex<HashMap<String, Vec<RData>>>>,
    pub addr: String,
}

fn key(name: &str) -> String {
    name.trim_end_matches('.').to_lowercase()
}

impl DnsServer {
    pub async fn start() -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let server = Self {
            records: Default::default(),
            addr: socket.local_addr().unwrap().to_string(),
        };
        let records = server.records.clone();
        tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            while let Ok((n, peer)) = socket.recv_from(&mut buf).await {
                let Ok(query) = Message::from_vec(&buf[..n]) else {
                    continue;
                };
                let mut response = Message::response(query.metadata.id, query.metadata.op_code);
                response.metadata.authoritative = true;
                response.metadata.recursion_desired = query.metadata.recursion_desired;
                for q in &query.queries {
                    response.add_query(q.clone());
                    let name = key(&q.name().to_ascii());
                    let known = records.lock().unwrap().get(&name).cloned();
                    match known {
                        None => response.metadata.response_code = ResponseCode::NXDomain,
                        Some(rdata) => {
                            for data in rdata
                                .into_iter()
                                .filter(|d| d.record_type() == q.query_type())
                            {
                                response.add_answer(Record::from_rdata(q.name().clone(), 60, data));
                            }
                        }
                    }
                }
                if let Ok(bytes) = response.to_vec() {
                    socket.send_to(&bytes, peer).await.ok();
                }
            }
        });
        server
    }

    pub fn txt(&self, name: &str, value: &str) {
        self.records
            .lock()
            .unwrap()
            .entry(key(name))
            .or_default()
            .push(RData::TXT(TXT::new(vec![value.to_owned()])));
    }

    pub fn mx(&self, name: &str, preference: u16, host: &str) {
        let exchange = Name::from_str(&format!("{host}.")).unwrap();
        self.records
            .lock()
            .unwrap()
            .entry(key(name))
            .or_default()
            .push(RData::MX(MX::new(preference, exchange)));
    }
}
