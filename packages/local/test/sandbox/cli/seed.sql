create table customers (id integer, name varchar(32)) diststyle all;
insert into customers values (1, 'Ada'), (2, 'Grace');
